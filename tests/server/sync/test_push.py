"""Push: idempotent by record id, 409 for a reused id, stale edits merged or queued."""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

from fastapi.testclient import TestClient

from tests.server.conftest import World
from tests.server.sync.conftest import edit, households, login, pull_all, push


def _create(world: World, code: str = "HH-NEW", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "household.create",
        "id": str(uuid.uuid4()),
        "hamlet_id": world.hamlets["A"].id,
        "code": code,
        "head_name": "Đinh Văn Tú",
        "members": [{"member_no": "1", "full_name": "Đinh Văn Tú", "sex": "male"}],
        **extra,
    }


def _version(client: TestClient, headers: dict[str, str], household_id: int) -> int:
    items, _ = pull_all(client, headers)
    return int(households(items)[str(household_id)]["v"])


def test_a_new_household_is_created_once_however_often_it_is_pushed(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    record = _create(world)
    first = push(client, device, record)[0]
    again = push(client, device, record, record)
    assert first["status"] == 201
    assert first["result"] == "applied"
    assert [o["household_id"] for o in again] == [first["household_id"]] * 2
    assert all(o["replayed"] for o in again)
    listed = client.get("/api/v1/households", params={"q": "dinh van tu"}, headers=device)
    assert listed.json()["total"] == 1


def test_a_batch_of_new_households_is_numbered_in_record_order_and_replays_exactly(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    names = ['Lò Thị "Mai"', "Hà Văn \\ Sơn", "Nguyễn Ánh, {Dương}", "Đỗ Văn Tú"]
    records = [
        _create(
            world,
            f"HH-BATCH-{n}",
            head_name=name,
            members=[
                {"member_no": "1", "full_name": name, "sex": "male"},
                {"member_no": "2", "full_name": f"{name} con", "birth_date": "2019-02-03"},
            ],
        )
        for n, name in enumerate(names)
    ]
    outcomes = push(client, device, *records)
    assert [o["id"] for o in outcomes] == [r["id"] for r in records]
    assert [o["status"] for o in outcomes] == [201] * len(records)
    versions = [o["version"] for o in outcomes]
    assert versions == sorted(set(versions))
    items, _ = pull_all(client, device)
    pulled = households(items)
    for record, outcome in zip(records, outcomes, strict=True):
        item = pulled[str(outcome["household_id"])]
        assert item["v"] == outcome["version"]
        assert item["d"]["head_name"] == record["head_name"]
        assert [m["full_name"] for m in item["d"]["members"]] == [
            m["full_name"] for m in record["members"]
        ]
    streamed = {i["k"]: i["d"] for i in items if i["e"] == "outcome"}
    assert [streamed[r["id"]] for r in records] == outcomes
    replayed = push(client, device, *records)
    assert replayed == [{**o, "replayed": True} for o in outcomes]


def test_the_same_id_with_other_content_is_a_per_record_conflict(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    record = _create(world)
    push(client, device, record)
    changed = {**record, "head_name": "Someone Else"}
    other = _create(world, "HH-OTHER")
    outcomes = push(client, device, changed, other)
    assert outcomes[0]["status"] == 409
    assert outcomes[0]["error"] == "conflict"
    assert outcomes[1]["status"] == 201


def test_an_edit_on_the_current_version_applies(client: TestClient, world: World) -> None:
    device = login(client, "enumerator")
    household = world.households["A"]
    version = _version(client, device, household.id)
    outcome = push(
        client, device, edit(household.id, version, {"address": "Số 9"}, {"address": "Số A"})
    )[0]
    assert outcome["result"] == "applied"
    assert outcome["version"] > version
    assert (
        client.get(f"/api/v1/households/{household.id}", headers=device).json()["address"] == "Số 9"
    )


def test_two_devices_editing_different_fields_merge(client: TestClient, world: World) -> None:
    one = login(client, "enumerator", "tablet-one")
    two = login(client, "commune_officer", "tablet-two")
    household = world.households["A"]
    version = _version(client, one, household.id)
    first = push(
        client, one, edit(household.id, version, {"address": "Xóm Đông"}, {"address": "Số A"})
    )[0]
    second = push(
        client,
        two,
        edit(
            household.id,
            version,
            {"members/2/full_name": "Phạm Thị Hoa"},
            {"members/2/full_name": "Phạm Thị A"},
        ),
    )[0]
    assert first["result"] == "applied"
    assert second["result"] == "merged"
    detail = client.get(f"/api/v1/households/{household.id}", headers=one).json()
    assert detail["address"] == "Xóm Đông"
    assert detail["members"][1]["full_name"] == "Phạm Thị Hoa"


def test_overlapping_edits_keep_both_versions_and_queue_a_conflict(
    client: TestClient, world: World
) -> None:
    one = login(client, "enumerator", "tablet-one")
    two = login(client, "commune_officer", "tablet-two")
    household = world.households["A"]
    version = _version(client, one, household.id)
    push(
        client,
        one,
        edit(
            household.id,
            version,
            {"head_name": "Nguyễn Văn Quyết Anh"},
            {"head_name": "Nguyễn Văn Quyết"},
        ),
    )
    outcome = push(
        client,
        two,
        edit(
            household.id,
            version,
            {"head_name": "Nguyễn Quyết", "address": "Xóm Tây"},
            {"head_name": "Nguyễn Văn Quyết", "address": "Số A"},
        ),
    )[0]
    assert outcome["result"] == "conflict"
    detail = client.get(f"/api/v1/households/{household.id}", headers=one).json()
    assert detail["head_name"] == "Nguyễn Văn Quyết Anh"
    assert detail["address"] == "Xóm Tây"
    queued = client.get("/api/v1/sync/conflicts", headers=two).json()
    assert [c["id"] for c in queued] == [outcome["conflict_id"]]
    assert queued[0]["fields"]["head_name"] == {
        "base": "Nguyễn Văn Quyết",
        "server": "Nguyễn Văn Quyết Anh",
        "device": "Nguyễn Quyết",
    }
    items, _ = pull_all(client, one)
    assert any(i["e"] == "conflict" and i["d"]["status"] == "open" for i in items)


def test_an_officer_settles_a_conflict_and_devices_learn_it(
    client: TestClient, world: World
) -> None:
    one = login(client, "enumerator", "tablet-one")
    officer = login(client, "commune_officer", "tablet-two")
    household = world.households["A"]
    version = _version(client, one, household.id)
    push(
        client,
        officer,
        edit(household.id, version, {"head_name": "X"}, {"head_name": "Nguyễn Văn Quyết"}),
    )
    _, cursor = pull_all(client, one)
    conflict_id = push(
        client,
        one,
        edit(household.id, version, {"head_name": "Y"}, {"head_name": "Nguyễn Văn Quyết"}),
    )[0]["conflict_id"]
    refused = client.post(
        f"/api/v1/sync/conflicts/{conflict_id}/resolve", json={"keep": "device"}, headers=one
    )
    assert refused.json()["error"] == "forbidden"
    settled = client.post(
        f"/api/v1/sync/conflicts/{conflict_id}/resolve", json={"keep": "device"}, headers=officer
    )
    assert settled.json()["status"] == "resolved"
    items, _ = pull_all(client, one, cursor)
    kinds = {(i["e"], i["k"]) for i in items}
    assert ("conflict", str(conflict_id)) in kinds
    assert households(items)[str(household.id)]["d"]["head_name"] == "Y"


def test_a_refused_record_does_not_stop_the_rest_of_the_batch(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    outside = world.households["B"]
    bad = edit(outside.id, 1, {"address": "x"}, {"address": "Số B"})
    household_a = world.households["A"].id
    invalid = edit(household_a, 1, {"members/1/sex": "robot"}, {"members/1/sex": "male"})
    unknown = edit(world.households["A"].id, 1, {"colour": "red"}, {})
    good = _create(world)
    outcomes = push(client, device, bad, invalid, unknown, good)
    assert [(o["status"], o.get("error")) for o in outcomes] == [
        (403, "out_of_scope"),
        (422, "invalid_request"),
        (422, "invalid_request"),
        (201, None),
    ]


def test_a_gzip_body_is_accepted_and_garbage_is_a_catalog_error(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    body = gzip.compress(json.dumps({"records": [_create(world)]}).encode())
    response = client.post(
        "/api/v1/sync/push",
        content=body,
        headers={**device, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert response.json()["outcomes"][0]["status"] == 201
    for content, code in (
        (b"\x1f\x8bnot gzip", "invalid_request"),
        (b"{", "invalid_json"),
        (b'{"records": []}', "invalid_request"),
    ):
        headers = {**device, "Content-Encoding": "gzip"} if content.startswith(b"\x1f") else device
        answer = client.post("/api/v1/sync/push", content=content, headers=headers)
        assert answer.status_code in (400, 422)
        assert answer.json()["error"] == code


def test_a_household_registered_twice_by_two_devices_is_one_household(
    client: TestClient, world: World
) -> None:
    one = login(client, "enumerator", "tablet-one")
    two = login(client, "commune_officer", "tablet-two")
    first = push(client, one, _create(world, "HH-TWICE"))[0]
    second = push(client, two, _create(world, "HH-TWICE"))[0]
    assert second["household_id"] == first["household_id"]
    assert second["result"] == "merged"


def test_another_users_record_id_is_refused_without_a_word_of_its_record(
    client: TestClient, world: World
) -> None:
    owner = login(client, "enumerator", "tablet-one")
    other = login(client, "commune_officer", "tablet-two")
    record = _create(world, "HH-MINE")
    assert push(client, owner, record)[0]["status"] == 201
    for content in (record, {**record, "head_name": "Ai đó"}):
        refused = push(client, other, content)[0]
        assert (refused["status"], refused["error"]) == (409, "record_id_taken")
        assert "household_id" not in refused
        assert refused["replayed"] is False
    assert push(client, owner, record)[0]["replayed"] is True


def test_numbers_and_ids_beyond_the_database_are_refused_alone(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    household = world.households["A"].id
    survey = {
        "kind": "survey",
        "id": str(uuid.uuid4()),
        "household_id": household,
        "form_id": "household_review",
        "form_version": 1,
        "answers": {"household_size": 2**70},
    }
    far_version = edit(household, 2**70, {"address": "x"}, {"address": ""})
    far_household = edit(2**40, 1, {"address": "x"}, {"address": ""})
    far_hamlet = _create(world, "HH-FAR", hamlet_id=2**40)
    nul = _create(world, "HH-NUL", head_name="Đinh\x00Văn")
    good = _create(world, "HH-GOOD")
    # Compressed, as the tablet sends it.
    body = gzip.compress(
        json.dumps(
            {"records": [survey, far_version, far_household, far_hamlet, nul, good]}
        ).encode()
    )
    answer = client.post(
        "/api/v1/sync/push",
        content=body,
        headers={**device, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.json()
    outcomes = answer.json()["outcomes"]
    assert [(o["status"], o.get("error")) for o in outcomes] == [
        (422, "number_out_of_range"),
        (422, "number_out_of_range"),
        (422, "invalid_request"),
        (422, "invalid_request"),
        (422, "invalid_text"),
        (201, None),
    ]
    assert [o["id"] for o in outcomes] == [
        r["id"] for r in (survey, far_version, far_household, far_hamlet, nul, good)
    ]
    assert outcomes[0]["detail"] == {"field": "answers.household_size"}


def test_a_conflict_id_beyond_the_database_is_a_catalog_error(
    client: TestClient, world: World
) -> None:
    officer = login(client, "commune_officer")
    answer = client.post(
        "/api/v1/sync/conflicts/9223372036854775808/resolve",
        json={"keep": "server"},
        headers=officer,
    )
    assert (answer.status_code, answer.json()["error"]) == (422, "invalid_request")


def test_a_resolution_with_a_nul_is_a_catalog_error(client: TestClient, world: World) -> None:
    officer = login(client, "commune_officer")
    answer = client.post(
        "/api/v1/sync/conflicts/1/resolve",
        json={"values": {"head_name": "Đinh\x00Văn"}},
        headers=officer,
    )
    assert (answer.status_code, answer.json()["error"]) == (422, "invalid_text")


def test_the_token_is_checked_before_the_body_is_read(client: TestClient) -> None:
    for content, headers in (
        (b"{", {}),
        (gzip.compress(b"\0" * 1000), {"Content-Encoding": "gzip"}),
    ):
        answer = client.post("/api/v1/sync/push", content=content, headers=headers)
        assert (answer.status_code, answer.json()["error"]) == (401, "not_authenticated")


def test_a_gzip_bomb_is_refused_as_too_large(client: TestClient, world: World) -> None:
    device = login(client, "enumerator")
    # 40 MB of spaces inflate from about 40 KB: past eight times the body limit.
    bomb = gzip.compress(b'{"records": [' + b" " * 40_000_000 + b"]}")
    answer = client.post(
        "/api/v1/sync/push", content=bomb, headers={**device, "Content-Encoding": "gzip"}
    )
    assert (answer.status_code, answer.json()["error"]) == (413, "payload_too_large")


def test_a_nul_in_an_uncompressed_push_refuses_its_record_alone(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    nul = _create(world, "HH-NUL", address="Xóm\x00 3")
    good = _create(world, "HH-GOOD")
    outcomes = push(client, device, nul, good)
    assert [(o["status"], o.get("error")) for o in outcomes] == [
        (422, "invalid_text"),
        (201, None),
    ]
    assert outcomes[0]["detail"]["field"] == "address"
