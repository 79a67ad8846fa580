"""Submitting a survey: validated by its form, classified, stored with history, idempotent."""

from __future__ import annotations

import random
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from server.demo.population import random_household
from tests.server.conftest import World, login

FILLED = yaml.safe_load((Path(__file__).parent / "household_review_near_poor.yaml").read_text())


def _form_survey(world: World, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": world.households["A"].id,
        "form_id": "household_review",
        "form_version": 1,
        "answers": answers or FILLED["answers"],
        "started_at": "2026-11-02T08:00:00+07:00",
        "completed_at": "2026-11-02T08:40:00+07:00",
        "location": {"latitude": 20.03, "longitude": 105.62, "accuracy_m": 8},
        "photos": [{"sha256": "a" * 64, "question": "house"}],
    }


def _document_survey(world: World, target: str, year: int = 2026) -> dict[str, Any]:
    document = random_household(random.Random(1), "HH-A", date(year, 11, 2), "urban", target)
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": world.households["A"].id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": document,
    }


def test_form_survey_is_classified_and_recorded(client: TestClient, world: World) -> None:
    enumerator = login(client, "enumerator")
    response = client.post("/api/v1/surveys", json=_form_survey(world), headers=enumerator)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["household_class"], body["year"]) == ("near_poor", 2026)
    assert body["result"]["standard"] == "vn-2022-2025"
    detail = client.get(f"/api/v1/households/{world.households['A'].id}", headers=enumerator).json()
    assert [(h["year"], h["household_class"]) for h in detail["history"]] == [
        (2026, "near_poor"),
        (2022, "poor"),
    ]
    stored = client.get(f"/api/v1/surveys/{body['id']}", headers=enumerator).json()
    assert stored["household_class"] == "near_poor"


def test_a_later_survey_of_the_same_year_stands_and_the_first_is_kept(
    client: TestClient, world: World
) -> None:
    enumerator = login(client, "enumerator")
    for target in ("poor", "not_poor"):
        body = _document_survey(world, target)
        assert client.post("/api/v1/surveys", json=body, headers=enumerator).status_code == 201
    history = client.get(
        f"/api/v1/households/{world.households['A'].id}", headers=enumerator
    ).json()["history"]
    assert [(h["year"], h["household_class"], h["stands"]) for h in history] == [
        (2026, "not_poor", True),
        (2026, "poor", False),
        (2022, "poor", True),
    ]
    listed = client.get(
        "/api/v1/households",
        params={"year": 2026, "household_class": "not_poor"},
        headers=enumerator,
    ).json()
    assert [i["code"] for i in listed["items"]] == ["HH-A"]


def test_resending_returns_the_stored_result(client: TestClient, world: World) -> None:
    enumerator = login(client, "enumerator")
    body = _document_survey(world, "poor")
    first = client.post("/api/v1/surveys", json=body, headers=enumerator)
    again = client.post("/api/v1/surveys", json=body, headers=enumerator)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    detail = client.get(f"/api/v1/households/{world.households['A'].id}", headers=enumerator)
    assert len(detail.json()["history"]) == 2


def test_invalid_answers_list_every_issue(client: TestClient, world: World) -> None:
    answers = {**FILLED["answers"], "walls": "cardboard"}
    del answers["reference_date"]
    response = client.post(
        "/api/v1/surveys",
        json=_form_survey(world, answers),
        headers=login(client, "enumerator"),
    )
    assert (response.status_code, response.json()["error"]) == (422, "validation_failed")
    codes = {issue["code"] for issue in response.json()["detail"]["issues"]}
    assert {"required", "not_a_choice"} <= codes


def test_unknown_form(client: TestClient, world: World) -> None:
    body = {**_form_survey(world), "form_id": "no_such_form"}
    response = client.post("/api/v1/surveys", json=body, headers=login(client, "enumerator"))
    assert response.json()["error"] == "unknown_form"


def test_invalid_household_document(client: TestClient, world: World) -> None:
    body = _document_survey(world, "poor")
    body["answers"]["members"] = []
    response = client.post("/api/v1/surveys", json=body, headers=login(client, "enumerator"))
    assert (response.status_code, response.json()["error"]) == (422, "invalid_household")


def test_answers_must_describe_the_household_submitted(client: TestClient, world: World) -> None:
    body = _document_survey(world, "poor")
    body["answers"]["household_id"] = "HH-B"
    response = client.post("/api/v1/surveys", json=body, headers=login(client, "enumerator"))
    assert response.json()["error"] == "invalid_request"
    body = _document_survey(world, "poor")
    body["answers"]["area"] = "rural"
    response = client.post("/api/v1/surveys", json=body, headers=login(client, "enumerator"))
    assert response.json()["error"] == "invalid_request"


def test_surveys_outside_scope_or_role_are_refused(client: TestClient, world: World) -> None:
    body = _document_survey(world, "poor")
    other = client.post("/api/v1/surveys", json=body, headers=login(client, "enumerator_b"))
    assert other.json()["error"] == "out_of_scope"
    viewer = client.post("/api/v1/surveys", json=body, headers=login(client, "province_viewer"))
    assert viewer.json()["error"] == "forbidden"


def test_text_and_numbers_no_database_can_hold_are_refused(
    client: TestClient, world: World
) -> None:
    enumerator = login(client, "enumerator")
    for answers, code in (
        ({**FILLED["answers"], "enumerator": "Phạm\x00Toản"}, "invalid_text"),
        ({**FILLED["answers"], "income_monthly_per_capita_vnd": 2**70}, "number_out_of_range"),
    ):
        response = client.post(
            "/api/v1/surveys", json=_form_survey(world, answers), headers=enumerator
        )
        assert (response.status_code, response.json()["error"]) == (422, code)
