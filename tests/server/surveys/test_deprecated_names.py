"""The names of the filled survey before the rename ("submission") keep answering for the
tablets installed before it, through the 2027 review season (docs/api.md, docs/sync.md)."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from server.demo.population import random_household
from tests.server.conftest import World, login
from tests.server.sync.conftest import push


def _answers(world: World) -> dict[str, Any]:
    area = world.hamlets["A"].area
    return random_household(random.Random(7), "HH-A", date(2026, 11, 2), area, "poor")


def test_the_old_paths_answer_as_the_new_ones_and_say_when_they_end(
    client: TestClient, world: World
) -> None:
    enumerator = login(client, "enumerator")
    tablet_id = str(uuid.uuid4())
    old_body = {
        "submission_id": tablet_id,
        "household_id": world.households["A"].id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": _answers(world),
    }
    made = client.post("/api/v1/submissions", json=old_body, headers=enumerator)
    assert made.status_code == 201, made.json()
    assert made.headers["Deprecation"] == "true"
    assert made.headers["Sunset"] == "Sat, 01 Jan 2028 00:00:00 GMT"
    body = made.json()
    assert (body["submission_id"], body["survey_uuid"]) == (tablet_id, tablet_id)
    assert body["household_class"] == "poor"

    again = client.post("/api/v1/surveys", json=old_body, headers=enumerator)
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    read = client.get(f"/api/v1/submissions/{body['id']}", headers=enumerator)
    assert read.status_code == 200
    assert read.json()["submission_id"] == tablet_id
    assert (
        client.get(f"/api/v1/surveys/{body['id']}", headers=enumerator).json()["id"] == body["id"]
    )


def test_a_survey_pushed_under_its_old_kind_is_received_and_named_both_ways(
    client: TestClient, world: World
) -> None:
    device = login(client, "enumerator")
    record = {
        "kind": "submission",
        "id": str(uuid.uuid4()),
        "household_id": world.households["A"].id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": _answers(world),
    }
    outcome = push(client, device, record)[0]
    assert (outcome["status"], outcome["household_class"]) == (201, "poor")
    assert outcome["survey_id"] == outcome["submission_id"] is not None
    # The tablet updated since retries the same survey under the new kind: still a replay.
    replay = push(client, device, {**record, "kind": "survey"})[0]
    assert replay["replayed"] is True
    assert replay["survey_id"] == outcome["survey_id"]
