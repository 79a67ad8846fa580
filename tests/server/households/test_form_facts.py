"""The facts Decision 24/2021's forms ask for: written and read through the API, scoped as the
identity number is, audited, checked, and kept from a submitted survey."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.households.models import Household
from tests.server.conftest import World, login

SURVEY = Path(__file__).parents[1] / "surveys" / "household_review_near_poor.yaml"

HEAD = {
    "member_no": "1",
    "full_name": "Hà Văn Páo",
    "birth_date": "1975-03-02",
    "sex": "male",
    "relation": "head",
    # 011 Lào Cai's former code, 0 a man born 1900–1999, 75 the birth year.
    "national_id": "011075001234",
    "national_id_issued_on": "2021-06-10",
    "national_id_issued_by": "Cục Cảnh sát QLHC về TTXH",
    "ethnicity": "04",
    "permanent_residence": "Bản Nặm Pung, xã Mường Khương",
    "current_residence": "Tổ 3, thị trấn Phố Lu",
    "activity": "working",
    "no_labour_capacity": False,
    "monthly_social_allowance_vnd": 0,
    "revolutionary_merit": True,
}
MOTHER = {
    "member_no": "2",
    "full_name": "Lò Thị Mai",
    "relation": "parent",
    "ethnicity": "04",
    "activity": "not_working",
    "no_labour_capacity": True,
    "monthly_social_allowance_vnd": 540_000,
}


def _body(world: World, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "hamlet_id": world.hamlets["A"].id,
        "code": code,
        "head_name": "Hà Văn Páo",
        "members": [HEAD, MOTHER],
        "special_groups": ["ethnic_minority", "revolutionary_merit"],
        "poverty_causes": ["lack_land", "other"],
        "poverty_cause_other": "Sạt lở đất năm 2025",
        **extra,
    }


def test_created_household_keeps_the_form_facts(
    client: TestClient, world: World, session: Session
) -> None:
    officer = login(client, "commune_officer")
    created = client.post("/api/v1/households", json=_body(world, "HH-F1"), headers=officer)
    assert created.status_code == 201, created.json()
    read = client.get(f"/api/v1/households/{created.json()['id']}", headers=officer).json()
    head, mother = read["members"]
    assert {k: head[k] for k in HEAD if k not in ("birth_date",)} == {
        k: v for k, v in HEAD.items() if k != "birth_date"
    }
    assert (mother["no_labour_capacity"], mother["monthly_social_allowance_vnd"]) == (True, 540_000)
    assert (mother["national_id"], mother["national_id_issued_on"]) == (None, None)
    assert read["special_groups"] == ["ethnic_minority", "revolutionary_merit"]
    assert read["poverty_causes"] == ["lack_land", "other"]
    assert read["poverty_cause_other"] == "Sạt lở đất năm 2025"
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "household", AuditEntry.entity_id == str(created.json()["id"])
        )
    ).one()
    assert json.loads(entry.after or "null")["poverty_causes"] == ["lack_land", "other"]


def test_issue_date_and_place_go_with_the_number(client: TestClient, world: World) -> None:
    created = client.post(
        "/api/v1/households", json=_body(world, "HH-F2"), headers=login(client, "hamlet_head")
    )
    path = f"/api/v1/households/{created.json()['id']}"
    seen = client.get(path, headers=login(client, "province_viewer")).json()["members"][0]
    assert seen["national_id"].endswith("234")
    assert "011075" not in seen["national_id"]
    assert (seen["national_id_issued_on"], seen["national_id_issued_by"]) == (None, None)
    assert seen["ethnicity"] == "04"
    assert seen["revolutionary_merit"] is True


def test_bad_facts_are_refused_naming_the_field(client: TestClient, world: World) -> None:
    officer = login(client, "commune_officer")
    cases = {
        # Digit 4 = 1 is a woman: the head is a man.
        "national_id": {**HEAD, "national_id": "011175001234"},
        "ethnicity": {**HEAD, "ethnicity": "55"},
        "activity": {**HEAD, "activity": "retired"},
        "national_id_issued_on": {**MOTHER, "national_id_issued_on": "2020-01-01"},
    }
    for field, member in cases.items():
        body = {**_body(world, f"HH-BAD-{field}"), "members": [member]}
        response = client.post("/api/v1/households", json=body, headers=officer)
        assert response.status_code == 422, (field, response.json())
        assert field in str(response.json()), (field, response.json())
    groups = client.post(
        "/api/v1/households",
        json=_body(world, "HH-BAD-G", special_groups=["none"]),
        headers=officer,
    )
    assert groups.status_code == 422


def test_a_surveys_groups_and_causes_reach_the_registry(
    client: TestClient, world: World, session: Session
) -> None:
    filled = yaml.safe_load(SURVEY.read_text(encoding="utf-8"))
    survey = {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": world.households["A"].id,
        "form_id": "household_review",
        "form_version": 1,
        "answers": filled["answers"],
    }
    enumerator = login(client, "enumerator")
    response = client.post("/api/v1/surveys", json=survey, headers=enumerator)
    assert response.status_code == 201, response.json()
    household = session.get(Household, world.households["A"].id)
    assert household is not None
    session.refresh(household)
    assert household.special_groups == ["female_headed"]
    assert household.poverty_causes == ["lack_labour", "many_dependents"]
    read = client.get(f"/api/v1/households/{household.id}", headers=enumerator).json()
    assert read["special_groups"] == ["female_headed"]
    # A later survey that found none of the groups says so: [] is not "not recorded".
    none = {**filled["answers"], "special_groups": ["none"]}
    again = {**survey, "survey_uuid": str(uuid.uuid4()), "answers": none}
    assert client.post("/api/v1/surveys", json=again, headers=enumerator).status_code == 201
    session.refresh(household)
    assert household.special_groups == []
    updates = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "household",
            AuditEntry.entity_id == str(household.id),
            AuditEntry.action == "update",
        )
    ).all()
    assert [json.loads(u.after or "null")["special_groups"] for u in updates] == [
        ["female_headed"],
        [],
    ]
