"""Helpers of the support tests: filled forms and a commune with officers and a registration."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import World, login

YEAR = 2023
PHOTO = "ab" * 32


def registration_form(world: World, hamlet: str = "A", **answers: Any) -> dict[str, Any]:
    """Return a filled exit_registration form for the household of ``hamlet``."""
    household = world.households[hamlet]
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": household.id,
        "form_id": "exit_registration",
        "form_version": 1,
        "answers": {
            "registration_year": YEAR,
            "registration_date": "2023-02-10",
            "hamlet": world.hamlets[hamlet].name,
            "household_id": household.code,
            "head_name": household.head_name,
            "current_status": "poor",
            "causes": ["lack_capital", "lack_know_how"],
            "needs": [
                {"help_type": "preferential_loan", "need_detail": "Vay 50 triệu đồng"},
                {"help_type": "breeding_stock", "need_detail": "2 con bò cái giống"},
            ],
            "helping_officer": "Lê Thị Hoa",
            "commitment": True,
            "target_date": "2023-11-30",
            "registered_by": "Trưởng khu phố",
            **answers,
        },
    }


def visit_form(world: World, progress: str = "in_progress", hamlet: str = "A") -> dict[str, Any]:
    """Return a filled support_visit form with one delivery and one photo."""
    household = world.households[hamlet]
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": household.id,
        "form_id": "support_visit",
        "form_version": 1,
        "answers": {
            "visit_date": "2023-05-10",
            "household_id": household.code,
            "helping_officer": "Lê Thị Hoa",
            "support_delivered": True,
            "support_items": [
                {
                    "support_type": "breeding_stock",
                    "description": "2 con bò cái giống",
                    "quantity": 2,
                    "unit": "con",
                    "value_vnd": 30_000_000,
                    "funding_source": "social_policy_bank",
                }
            ],
            "progress": progress,
            "photos": [{"photo": {"file": "bo-giong.jpg", "sha256": PHOTO}, "caption": "Bò giống"}],
        },
    }


def officer_body(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "commune_id": world.commune_ids[0],
        "full_name": "Lê Thị Hoa",
        "organisation": "womens_union",
        "skills": ["credit", "crops_livestock"],
        "hamlet_ids": [world.hamlets["A"].id],
        "capacity": 3,
        "base_latitude": 20.005,
        "base_longitude": 105.605,
        **fields,
    }


@dataclass
class Plan:
    """Commune 1 with two officers (one of them the helping_officer account's) and the
    household of hamlet A registered and confirmed."""

    officer: dict[str, str]
    registration_id: int
    officer_ids: list[int]


@pytest.fixture
def plan(client: TestClient, world: World) -> Plan:
    officer = login(client, "commune_officer", "plan-officer")
    me = client.get("/api/v1/auth/me", headers=login(client, "helping_officer", "plan-helper"))
    ids = []
    for body in (
        officer_body(world, user_id=me.json()["id"]),
        officer_body(
            world,
            full_name="Trần Văn Nam",
            organisation="farmers_union",
            skills=["crops_livestock"],
            hamlet_ids=[],
            base_latitude=20.03,
            base_longitude=105.63,
        ),
    ):
        made = client.post("/api/v1/support/officers", json=body, headers=officer)
        assert made.status_code == 201, made.json()
        ids.append(made.json()["id"])
    head = login(client, "hamlet_head", "plan-hamlet-head")
    registered = client.post("/api/v1/support/forms", json=registration_form(world), headers=head)
    assert registered.status_code == 201, registered.json()
    registration_id = registered.json()["registration_id"]
    confirmed = client.post(
        "/api/v1/support/registrations/status",
        json={"registration_ids": [registration_id], "status": "confirmed"},
        headers=officer,
    )
    assert confirmed.status_code == 200, confirmed.json()
    return Plan(officer, registration_id, ids)
