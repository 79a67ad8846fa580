"""``POST /api/v1/classify``: the engine as a stateless service, same documents as the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from shared.engine import classify, parse_household

EXAMPLE = json.loads((Path(__file__).parents[3] / "examples" / "household.json").read_text())


def test_classifies_like_the_engine(client: TestClient) -> None:
    response = client.post("/api/v1/classify", json=EXAMPLE)
    assert response.status_code == 200
    assert response.json() == classify(parse_household(EXAMPLE)).to_dict("vi")


def test_array_in_array_out_in_english(client: TestClient) -> None:
    response = client.post(
        "/api/v1/classify", json=[EXAMPLE, EXAMPLE], headers={"Accept-Language": "en"}
    )
    assert response.json() == [classify(parse_household(EXAMPLE)).to_dict("en")] * 2


def test_named_standard(client: TestClient) -> None:
    response = client.post("/api/v1/classify", params={"standard": "vn-2027-2030"}, json=EXAMPLE)
    assert response.json()["standard"] == "vn-2027-2030"
    unknown = client.post("/api/v1/classify", params={"standard": "vn-1999"}, json=EXAMPLE)
    assert (unknown.status_code, unknown.json()["error"]) == (422, "unknown_standard")


def test_invalid_household_names_the_field(client: TestClient) -> None:
    response = client.post("/api/v1/classify", json={**EXAMPLE, "colour": "red"})
    assert (response.status_code, response.json()["error"]) == (422, "invalid_household")
    assert response.json()["detail"]["household_id"] == EXAMPLE["household_id"]


def test_not_an_object(client: TestClient) -> None:
    response = client.post("/api/v1/classify", json="hello")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
