"""The leaks issue #15 found, each closed: certificates of other hamlets, a proposal's picks
outside the reader's hamlets, officers linked to accounts of other communes, and household
codes that told one commune what another had registered."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.models import User
from tests.server.auth.conftest import HEADS, pdf_text
from tests.server.conftest import World, login
from tests.server.review.conftest import household_of_2022
from tests.server.support.conftest import YEAR, Plan, officer_body, registration_form
from tests.server.support.conftest import plan as support_plan  # noqa: F401 (a fixture)


def user_id(session: Session, username: str) -> int:
    return session.scalars(select(User.id).where(User.username == username)).one()


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("enumerator", "A"),
        ("hamlet_head", "A"),
        ("helping_officer", "A"),
        ("enumerator_b", "B"),
        ("commune_officer", "AB"),
        ("commune_chair", "AB"),
    ],
)
def test_certificates_are_only_those_of_the_readers_hamlets(
    client: TestClient, certified: tuple[int, dict[str, int]], username: str, sees: str
) -> None:
    round_id, cases = certified
    me = login(client, username, "certificates")
    path = f"/api/v1/review/rounds/{round_id}/documents/certificates"
    whole = client.get(path, headers=me)
    assert whole.status_code == 200, whole.text[:300]
    text = pdf_text(whole.content)
    assert {h for h, name in HEADS.items() if name in text} == set(sees)
    for hamlet, case_id in cases.items():
        one = client.get(path, params={"case_id": case_id}, headers=me)
        case = client.get(f"/api/v1/review/cases/{case_id}", headers=me)
        if hamlet in sees:
            assert (one.status_code, case.status_code) == (200, 200)
            assert HEADS[hamlet] in pdf_text(one.content)
        else:
            assert (one.status_code, one.json()["error"]) == (403, "out_of_scope")
            assert case.status_code == 403


@pytest.fixture
def two_hamlets_proposed(
    client: TestClient,
    world: World,
    session: Session,
    support_plan: Plan,  # noqa: F811
) -> int:
    """The plan's proposal once a poor household of hamlet B is registered too: picks in A
    and B."""
    poor = household_of_2022(session, random.Random(2), world.hamlets["B"], "B-poor", "poor")
    session.commit()
    world.households["B"] = poor
    form = registration_form(world, "B")
    registered = client.post("/api/v1/support/forms", json=form, headers=support_plan.officer)
    assert registered.status_code == 201, registered.json()
    confirmed = client.post(
        "/api/v1/support/registrations/status",
        json={"registration_ids": [registered.json()["registration_id"]], "status": "confirmed"},
        headers=support_plan.officer,
    )
    assert confirmed.status_code == 200, confirmed.json()
    proposed = client.post(
        "/api/v1/support/proposals",
        json={"commune_id": world.commune_ids[0], "year": YEAR},
        headers=support_plan.officer,
    )
    assert proposed.status_code == 201, proposed.json()
    picked = {p["household_id"] for p in proposed.json()["picks"]}
    assert picked == {world.households["A"].id, world.households["B"].id}
    return int(proposed.json()["id"])


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("enumerator", "A"),
        ("hamlet_head", "A"),
        ("helping_officer", "A"),
        ("enumerator_b", "B"),
        ("commune_officer", "AB"),
        ("commune_chair", "AB"),
    ],
)
def test_a_proposal_shows_only_the_picks_of_the_readers_hamlets(
    client: TestClient, world: World, two_hamlets_proposed: int, username: str, sees: str
) -> None:
    shown = client.get(
        f"/api/v1/support/proposals/{two_hamlets_proposed}",
        headers=login(client, username, "proposal"),
    )
    assert shown.status_code == 200, shown.json()
    assert {p["household_id"] for p in shown.json()["picks"]} == {
        world.households[h].id for h in sees
    }


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", (404, "not_found")),
        ("officer_c2", (404, "not_found")),
        ("officer_c3", (404, "not_found")),
        ("admin_p2", (404, "not_found")),
        ("enumerator", (422, "not_a_helping_officer")),
        ("helping_officer", (201, None)),
    ],
)
def test_an_officer_is_linked_only_to_a_helping_officer_account_of_the_commune(
    client: TestClient,
    world: World,
    session: Session,
    username: str,
    expected: tuple[int, str | None],
) -> None:
    made = client.post(
        "/api/v1/support/officers",
        json=officer_body(world, user_id=user_id(session, username)),
        headers=login(client, "commune_officer", "link-device"),
    )
    assert (made.status_code, made.json().get("error")) == expected, made.json()


def test_household_codes_are_numbered_per_commune(client: TestClient, world: World) -> None:
    elsewhere = client.post(
        "/api/v1/households",
        json={"hamlet_id": world.hamlets["C"].id, "code": "HH-A", "head_name": "Lê Văn Tám"},
        headers=login(client, "officer_c2", "codes-device"),
    )
    assert elsewhere.status_code == 201, elsewhere.json()
    again = client.post(
        "/api/v1/households",
        json={"hamlet_id": world.hamlets["B"].id, "code": "HH-A", "head_name": "Lê Văn Tám"},
        headers=login(client, "commune_officer", "codes-device"),
    )
    assert (again.status_code, again.json()["error"]) == (409, "household_code_taken")
