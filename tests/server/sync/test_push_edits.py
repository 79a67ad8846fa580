"""Push's edits taken together: several edits of one household in one push apply in order,
an edit sets only the fields it addresses, a value too long for its column is refused alone,
and edits of a household a survey of the same push writes keep their order with it."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.demo.population import random_household
from server.households.models import Member
from tests.server.conftest import World
from tests.server.sync.conftest import edit, households, login, pull_all, push


def _version(client: TestClient, headers: dict[str, str], household_id: int) -> int:
    items, _ = pull_all(client, headers)
    return int(households(items)[str(household_id)]["v"])


def _detail(client: TestClient, headers: dict[str, str], household_id: int) -> Any:
    return client.get(f"/api/v1/households/{household_id}", headers=headers).json()


def test_edits_of_one_household_in_one_push_apply_in_order(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    household = world.households["A"].id
    version = _version(client, device, household)
    outcomes = push(
        client,
        device,
        edit(household, version, {"address": "Số 1"}, {"address": "Số A"}),
        edit(household, version, {"address": "Số 2"}, {"address": "Số 1"}),
        edit(household, version, {"address": "Số 2"}, {"address": "Số 1"}),
        edit(household, version, {"members/9": {"full_name": "Đinh Thị Mới"}}, {}),
    )
    assert [o["result"] for o in outcomes] == ["applied", "merged", "merged", "merged"]
    versions = [o["version"] for o in outcomes]
    # The third changes nothing: it keeps the version the second left.
    assert versions[0] > version
    assert versions[0] < versions[1] == versions[2] < versions[3]
    assert _version(client, device, household) == versions[3]
    detail = _detail(client, device, household)
    assert detail["address"] == "Số 2"
    assert [m["member_no"] for m in detail["members"]][-1] == "9"


def test_an_edit_keeps_a_members_facts_it_does_not_address(
    client: TestClient, session: Session, world: World
) -> None:
    device = login(client, "enumerator")
    household = world.households["A"].id
    session.execute(
        update(Member)
        .where(Member.household_id == household, Member.member_no == "1")
        .values(ethnicity="01", permanent_residence="Xã Một")
    )
    session.commit()
    version = _version(client, device, household)
    head = _detail(client, device, household)["members"][0]["full_name"]
    outcome = push(
        client,
        device,
        edit(
            household,
            version,
            {"members/1/full_name": "Nguyễn Văn Mới"},
            {"members/1/full_name": head},
        ),
    )[0]
    assert outcome["result"] == "applied"
    member = session.scalars(
        select(Member).where(Member.household_id == household, Member.member_no == "1")
    ).one()
    session.refresh(member)
    assert (member.full_name, member.name_folded) == ("Nguyễn Văn Mới", "nguyen van moi")
    assert (member.ethnicity, member.permanent_residence) == ("01", "Xã Một")


def test_a_value_too_long_for_its_field_is_refused_alone(client: TestClient, world: World) -> None:
    device = login(client, "enumerator")
    household = world.households["A"].id
    version = _version(client, device, household)
    outcomes = push(
        client,
        device,
        edit(household, version, {"head_name": "Đ" * 121}, {"head_name": "Nguyễn Văn Quyết"}),
        edit(household, version, {"address": "Số 7"}, {"address": "Số A"}),
    )
    assert [(o["status"], o["result"], o.get("error")) for o in outcomes] == [
        (422, "refused", "invalid_request"),
        (200, "applied", None),
    ]
    assert _detail(client, device, household)["address"] == "Số 7"


def test_edits_of_a_household_surveyed_in_the_same_push_keep_their_order(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    household = world.households["A"]
    version = _version(client, device, household.id)
    answers = random_household(random.Random(1), household.code, date(2023, 10, 2), "urban")
    survey = {
        "kind": "submission",
        "id": str(uuid.uuid4()),
        "household_id": household.id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": answers,
    }
    before = edit(household.id, version, {"address": "Số 3"}, {"address": "Số A"})
    after = edit(household.id, version, {"address": "Số 4"}, {"address": "Số 3"})
    outcomes = push(client, device, before, survey, after)
    assert [(o["status"], o["result"]) for o in outcomes] == [
        (200, "applied"),
        (201, "applied"),
        (200, "merged"),
    ]
    # The survey's change of the household falls between the two edits'.
    assert outcomes[0]["version"] < outcomes[2]["version"]
    items, _ = pull_all(client, device)
    pulled = households(items)[str(household.id)]
    assert pulled["v"] == outcomes[2]["version"]
    assert pulled["d"]["address"] == "Số 4"
    assert pulled["d"]["class"]["year"] == 2023
