"""Pull: a device receives exactly the households of the hamlets in its user's scope, pages
through them with an opaque cursor, learns by tombstones what left its scope, and a pull with
nothing new costs almost nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.auth.models import User, UserHamlet
from server.households.service import MemberData, register_household
from tests.server.conftest import World
from tests.server.sync.conftest import households, login, pull_all

# An empty page: the protocol, no items, the cursor and ``more`` (docs/sync.md: about 160 bytes).
EMPTY_PAGE_BYTES = 256


def _ids(world: World, hamlets: str) -> set[str]:
    return {str(world.households[h].id) for h in hamlets}


def _of(items: list[dict[str, Any]], entity: str) -> dict[str, dict[str, Any]]:
    return {i["k"]: i for i in items if i["e"] == entity}


@pytest.mark.parametrize(
    ("username", "hamlets"),
    [
        ("enumerator", "A"),
        ("enumerator_b", "B"),
        ("commune_officer", "AB"),
        ("officer_c2", "C"),
        ("province_viewer", "ABC"),
        ("admin_p2", "D"),
    ],
)
def test_a_device_receives_exactly_the_households_of_its_hamlets(
    client: TestClient, world: World, username: str, hamlets: str
) -> None:
    items, _ = pull_all(client, login(client, username))
    assert set(households(items)) == _ids(world, hamlets)
    assert set(_of(items, "hamlet")) == {str(world.hamlets[h].id) for h in hamlets}
    assert all(i["d"] is not None for i in items)


def test_a_household_item_carries_its_members_and_latest_class(
    client: TestClient, world: World
) -> None:
    items, _ = pull_all(client, login(client, "enumerator"))
    household = households(items)[str(world.households["A"].id)]
    assert household["v"] > 0
    data = household["d"]
    assert (data["code"], data["hamlet_id"]) == ("HH-A", world.hamlets["A"].id)
    assert [m["member_no"] for m in data["members"]] == ["1", "2"]
    assert data["class"] == {"year": 2022, "class": "poor"}


def test_a_later_pull_carries_only_what_changed_in_the_devices_hamlets(
    client: TestClient, session: Session, world: World
) -> None:
    device = login(client, "enumerator")
    _, cursor = pull_all(client, device)
    world.households["A"].address = "Số 12, Khu phố 1"
    world.households["B"].address = "Số 7, Khu phố 2"
    session.commit()
    items, _ = pull_all(client, device, cursor)
    assert [(i["e"], i["k"]) for i in items] == [("household", str(world.households["A"].id))]
    assert items[0]["d"]["address"] == "Số 12, Khu phố 1"


def test_a_household_moved_to_another_hamlet_leaves_a_tombstone(
    client: TestClient, session: Session, world: World
) -> None:
    device_a = login(client, "enumerator", "tablet-a")
    device_b = login(client, "enumerator_b", "tablet-b")
    _, cursor_a = pull_all(client, device_a)
    _, cursor_b = pull_all(client, device_b)
    moved = world.households["A"]
    moved.hamlet_id = world.hamlets["B"].id
    session.commit()

    left, _ = pull_all(client, device_a, cursor_a)
    assert [(i["e"], i["k"], i["d"]) for i in left] == [("household", str(moved.id), None)]
    arrived, _ = pull_all(client, device_b, cursor_b)
    assert households(arrived)[str(moved.id)]["d"]["hamlet_id"] == world.hamlets["B"].id


def test_a_hamlet_taken_from_the_user_is_a_tombstone_and_a_new_one_arrives_whole(
    client: TestClient, session: Session, world: World
) -> None:
    device = login(client, "enumerator")
    _, cursor = pull_all(client, device)
    user = session.scalars(select(User).where(User.username == "enumerator")).one()
    user.hamlets = [UserHamlet(hamlet_id=world.hamlets["B"].id)]
    session.commit()

    items, _ = pull_all(client, device, cursor)
    hamlets = _of(items, "hamlet")
    assert hamlets[str(world.hamlets["A"].id)]["d"] is None
    assert hamlets[str(world.hamlets["B"].id)]["d"]["code"] == "KP2"
    assert set(hamlets) == {str(world.hamlets[h].id) for h in "AB"}
    assert set(households(items)) == _ids(world, "B")


def test_pages_follow_the_cursor_and_deliver_each_household_once(
    client: TestClient, session: Session, world: World
) -> None:
    hamlet = world.hamlets["A"]
    added = [
        register_household(
            session,
            SYSTEM,
            hamlet,
            f"HH-A-{n:02d}",
            f"Vũ Văn Tư {n}",
            f"Ngõ {n}",
            members=[MemberData("1", f"Vũ Văn Tư {n}", date(1975, 1, n + 1), "male", "head")],
        )
        for n in range(11)
    ]
    session.commit()
    device = login(client, "enumerator")
    limit, cursor, pages = 5, "", []
    while True:
        params = {"cursor": cursor, "limit": limit} if cursor else {"limit": limit}
        page = client.get("/api/v1/sync/pull", params=params, headers=device).json()
        pages.append(page)
        cursor = page["cursor"]
        if not page["more"]:
            break
    counted = [[i for i in p["items"] if i["e"] not in ("hamlet", "reference")] for p in pages]
    assert [len(c) for c in counted] == [5, 5, 2]
    delivered = [i["k"] for c in counted for i in c]
    assert sorted(delivered) == sorted({str(h.id) for h in added} | _ids(world, "A"))
    assert [p["more"] for p in pages] == [True, True, False]
    assert any(i["e"] == "hamlet" for i in pages[0]["items"])
    assert not any(i["e"] in ("hamlet", "reference") for p in pages[1:] for i in p["items"])


def test_a_pull_with_nothing_new_is_an_empty_page_of_a_few_bytes(
    client: TestClient, world: World
) -> None:
    device = login(client, "commune_officer")
    _, cursor = pull_all(client, device)
    again = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=device)
    assert again.status_code == 200
    assert (again.json()["items"], again.json()["more"]) == ([], False)
    assert len(again.content) <= EMPTY_PAGE_BYTES


@pytest.mark.parametrize(
    "cursor", ["not a cursor", "eyJ2IjoxfQ", "e30", "!!!!", "eyJ2Ijo5LCJ1IjoxLCJoIjpbXX0"]
)
def test_a_damaged_cursor_is_invalid_cursor(client: TestClient, world: World, cursor: str) -> None:
    device = login(client, "enumerator")
    response = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=device)
    assert (response.status_code, response.json()["error"]) == (422, "invalid_cursor")


def test_a_cursor_from_another_device_is_invalid_cursor(client: TestClient, world: World) -> None:
    _, cursor = pull_all(client, login(client, "enumerator", "tablet-one"))
    other = login(client, "enumerator", "tablet-two")
    response = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=other)
    assert (response.status_code, response.json()["error"]) == (422, "invalid_cursor")
