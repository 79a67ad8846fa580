"""Support plans start from the exit path: the plan a registration's path suggests, and
progress along it after each visit, on a household built by hand whose path is worked out
below (SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from server.support.vocabulary import vocabulary
from shared.exit.actions import load_actions
from tests.server.conftest import World, login
from tests.server.support.conftest import YEAR, officer_body, visit_form

# Hamlet A is urban: under the 2022–2025 standard the line is 2,000,000 VND a person a month.
# Five members, 1,500,000 VND each: below the line, so poor with three deprivations or more.
# Deprived: health insurance (the head and his wife, 2 cards), the latrine (a simple pit), the
# house (bamboo walls, thatch roof) and the adult son's education (20, lower secondary, out of
# school) — four. To fall below three it must resolve two: health insurance and the latrine
# are the only tier-1 ones (actions.yaml), so the single path is [health_insurance, latrine].
# Off the lists: 2,000,001 − 1,500,000 = 500,001 a person, 2,500,005 for the household.
HOUSEHOLD: dict[str, Any] = {
    "format": "rasoat.household/1",
    "household_id": "HH-A",
    "reference_date": "2023-11-20",
    "area": "urban",
    "income": {"monthly_per_capita_vnd": 1_500_000},
    "members": [
        {
            "member_id": "1",
            "birth_date": "1975-03-10",
            "sex": "male",
            "relation": "head",
            "employment": "self_employed",
            "pension": False,
            "disability": "none",
            "health_insurance": False,
            "education": "upper_secondary",
            "in_school": False,
            "phone_subscription": True,
            "uses_internet": True,
        },
        {
            "member_id": "2",
            "birth_date": "1978-06-01",
            "sex": "female",
            "relation": "spouse",
            "employment": "self_employed",
            "pension": False,
            "disability": "none",
            "health_insurance": False,
            "education": "lower_secondary",
            "in_school": False,
        },
        {
            "member_id": "3",
            "birth_date": "2003-01-01",
            "sex": "male",
            "relation": "child",
            "employment": "self_employed",
            "pension": False,
            "disability": "none",
            "health_insurance": True,
            "education": "lower_secondary",
            "in_school": False,
        },
        {
            "member_id": "4",
            "birth_date": "2012-05-01",
            "sex": "female",
            "relation": "child",
            "disability": "none",
            "health_insurance": True,
            "education": "primary",
            "in_school": True,
            "school_level": "lower_secondary",
            "stunted": False,
            "underweight": False,
        },
        {
            "member_id": "5",
            "birth_date": "2015-02-01",
            "sex": "male",
            "relation": "child",
            "disability": "none",
            "health_insurance": True,
            "education": "primary",
            "in_school": True,
            "school_level": "primary",
            "stunted": False,
            "underweight": False,
        },
    ],
    "housing": {
        "walls": "bamboo",
        "frame": "reinforced_concrete",
        "roof": "thatch",
        "floor_area_m2": 60,
    },
    "water_source": "piped",
    "latrine": "simple_pit",
    "internet_access": True,
    "information_devices": ["tv"],
    "hears_loudspeaker": True,
    "waste_disposal": "collected",
}
CHOICES = Path(__file__).parents[3] / "forms" / "choices" / "review.v1.yaml"
PROGRESS = "/api/v1/support/communes/{}/years/{}/progress"


def _survey(client: TestClient, world: World, headers: dict[str, str], **changes: Any) -> None:
    document = copy.deepcopy(HOUSEHOLD)
    for index, fields in changes.pop("members", {}).items():
        document["members"][index].update(fields)
    document.update(changes)
    sent = client.post(
        "/api/v1/surveys",
        json={
            "survey_uuid": str(uuid.uuid4()),
            "household_id": world.households["A"].id,
            "form_id": "rasoat.household/1",
            "form_version": 1,
            "answers": document,
        },
        headers=headers,
    )
    assert sent.status_code == 201, sent.json()


def _standing(client: TestClient, world: World, headers: dict[str, str]) -> dict[str, Any]:
    found = client.get(PROGRESS.format(world.commune_ids[0], YEAR), headers=headers)
    assert found.status_code == 200, found.json()
    (standing,) = found.json()["households"]
    assert isinstance(standing, dict)
    return standing


def test_the_plan_suggested_and_progress_follow_the_exit_path(
    client: TestClient, world: World
) -> None:
    officer = login(client, "commune_officer", "path-officer")
    _survey(client, world, officer)
    registered = client.post(
        "/api/v1/support/registrations",
        json={
            "household_id": world.households["A"].id,
            "year": YEAR,
            "causes": ["lack_capital"],
            "needs": [{"help_type": "health_insurance"}],
            "target_date": "2023-12-01",
        },
        headers=officer,
    )
    assert registered.status_code == 201, registered.json()
    registration = registered.json()
    assert sorted(registration["deprivations"]) == [
        "adult_education",
        "health_insurance",
        "housing_quality",
        "latrine",
    ]

    helper = login(client, "helping_officer", "path-helper")
    plan_url = f"/api/v1/support/registrations/{registration['id']}/suggested-plan"
    suggested = client.get(plan_url, headers=helper)
    assert suggested.status_code == 200, suggested.json()
    plan = suggested.json()
    assert (plan["class"], plan["source"], plan["standard"]) == (
        "poor",
        "latest_survey",
        "vn-2022-2025",
    )
    (path,) = plan["to_near_poor"]
    assert [
        (s["indicator"], s["units"], s["help_type"], s["organisations"], s["action"])
        for s in path["steps"]
    ] == [
        ("health_insurance", 2, "health_insurance", ["commune_staff"], "Cấp thẻ bảo hiểm y tế"),
        ("latrine", 1, "other", ["commune_staff"], "Hỗ trợ xây nhà tiêu hợp vệ sinh"),
    ]
    assert path["reaches"] == "near_poor"
    assert path["steps"][0]["by"] == "Trạm Y tế xã, Bảo hiểm xã hội huyện"
    income = plan["off_lists"]
    assert (income["income_gap_per_capita_vnd"], income["income_gap_household_vnd"]) == (
        500_001,
        2_500_005,
    )
    assert "500.001 đồng/người/tháng" in plan["summary"]
    english = client.get(plan_url, params={"lang": "en"}, headers=helper).json()
    assert english["to_near_poor"][0]["steps"][1]["action"] == "Help build a hygienic latrine"
    bad_lang = client.get(plan_url, params={"lang": "fr"}, headers=helper)
    assert bad_lang.status_code == 422
    assert (
        client.get(
            "/api/v1/support/registrations/999999/suggested-plan", headers=helper
        ).status_code
        == 404
    )

    standing = _standing(client, world, officer)
    assert standing["path"] == {
        "done": [],
        "remaining": ["health_insurance", "latrine", "housing_quality", "adult_education"],
        "next_steps": [["health_insurance", "latrine"]],
        "near_poor_or_better": False,
        "off_lists": False,
        "income_gap_per_capita_vnd": 500_001,
    }

    # The officer of hamlet A is assigned, visits, and the cards are issued: one step done,
    # three deprivations left, so one more (the latrine, tier 1) is needed.
    me = client.get("/api/v1/auth/me", headers=helper).json()
    made = client.post(
        "/api/v1/support/officers", json=officer_body(world, user_id=me["id"]), headers=officer
    )
    assert made.status_code == 201, made.json()
    assigned = client.put(
        f"/api/v1/support/registrations/{registration['id']}/officers",
        json={"officer_ids": [made.json()["id"]], "reason": "Phân công"},
        headers=officer,
    )
    assert assigned.status_code == 200, assigned.json()
    visited = client.post("/api/v1/support/forms", json=visit_form(world), headers=helper)
    assert visited.status_code == 201, visited.json()
    insured = {0: {"health_insurance": True}, 1: {"health_insurance": True}}
    _survey(client, world, officer, members=insured)
    standing = _standing(client, world, helper)
    assert (standing["stage"], standing["predicted_class"]) == ("on_track", "poor")
    assert standing["path"] == {
        "done": ["health_insurance"],
        "remaining": ["latrine", "housing_quality", "adult_education"],
        "next_steps": [["latrine"]],
        "near_poor_or_better": False,
        "off_lists": False,
        "income_gap_per_capita_vnd": 500_001,
    }

    # After the next visit the latrine is built: two deprivations left, near-poor; off the
    # lists only with income above the line.
    client.post("/api/v1/support/forms", json=visit_form(world), headers=helper)
    _survey(client, world, officer, members=insured, latrine="septic_tank")
    standing = _standing(client, world, helper)
    assert (standing["stage"], standing["predicted_class"]) == ("exited", "near_poor")
    assert standing["path"] == {
        "done": ["health_insurance", "latrine"],
        "remaining": ["housing_quality", "adult_education"],
        "next_steps": [],
        "near_poor_or_better": True,
        "off_lists": False,
        "income_gap_per_capita_vnd": 500_001,
    }
    suggested_now = client.get(plan_url, headers=helper).json()
    assert (suggested_now["class"], suggested_now["to_near_poor"]) == ("near_poor", [])

    # Income above the line: off the lists, nothing left to close.
    _survey(
        client,
        world,
        officer,
        members=insured,
        latrine="septic_tank",
        income={"monthly_per_capita_vnd": 2_000_001},
    )
    standing = _standing(client, world, helper)
    assert standing["path"]["off_lists"] is True
    assert standing["path"]["income_gap_per_capita_vnd"] is None


def test_each_path_action_names_a_form_of_help_and_organisations_the_support_api_knows() -> None:
    """actions.yaml fills a plan's action: its form of help must be one of the forms' choices
    and its organisations the registry's, or the suggestion could not be recorded."""
    choices = yaml.safe_load(CHOICES.read_text(encoding="utf-8"))
    forms_of_help = {c["value"] for c in choices["choice_lists"]["forms_of_help"]}
    organisations = set(vocabulary().organisations)
    for indicator, action in load_actions().actions.items():
        if action.actionable:
            assert action.help_type in forms_of_help, indicator
            assert set(action.organisations) <= organisations, indicator
        else:
            assert (action.help_type, action.organisations) == (None, ()), indicator
