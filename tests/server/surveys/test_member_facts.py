"""A survey under household_review 3 brings the members' facts of Decision 24's forms into the
registry, each to the member its number names; a malformed citizen identity number is refused
with the reason the enumerator reads."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.households.models import Household
from tests.server.conftest import World, login

FILLED = yaml.safe_load((Path(__file__).parent / "household_review_v3.yaml").read_text())


def _survey(world: World, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "submission_id": str(uuid.uuid4()),
        "household_id": world.households["A"].id,
        "form_id": "household_review",
        "form_version": 3,
        "answers": answers or FILLED["answers"],
        "photos": [{"sha256": "a" * 64, "question": "house"}],
    }


def _household(session: Session, world: World) -> Household:
    household = session.get(Household, world.households["A"].id)
    assert household is not None
    session.refresh(household)
    return household


def test_a_v3_survey_brings_the_members_facts_into_the_registry(
    client: TestClient, world: World, session: Session
) -> None:
    enumerator = login(client, "enumerator")
    sent = client.post("/api/v1/submissions", json=_survey(world), headers=enumerator)
    assert sent.status_code == 201, sent.json()
    household = _household(session, world)
    head, spouse = household.members
    assert (head.member_no, head.ethnicity, head.national_id) == ("1", "06", "038080005678")
    assert head.national_id_issued_on == date(2022, 3, 15)
    assert head.national_id_issued_by == "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
    assert (head.activity, head.revolutionary_merit) == ("working", True)
    assert head.current_residence == head.permanent_residence == "Số A, Khu phố 1, Thị trấn Một"
    assert (spouse.ethnicity, spouse.activity, spouse.no_labour_capacity) == (
        "01",
        "not_working",
        True,
    )
    assert spouse.monthly_social_allowance_vnd == 720_000
    assert spouse.current_residence == "Khu công nghiệp Lễ Môn, Thanh Hóa"
    assert household.special_groups == ["revolutionary_merit"]
    assert household.poverty_causes == ["disability", "other"]
    assert household.poverty_cause_other == "Vợ bị tai nạn lao động năm 2024"
    read = client.get(f"/api/v1/households/{household.id}", headers=enumerator).json()
    assert [m["ethnicity"] for m in read["members"]] == ["06", "01"]
    assert read["members"][0]["national_id"] == "038080005678"


def test_the_registry_audits_each_members_facts_before_and_after(
    client: TestClient, world: World, session: Session
) -> None:
    enumerator = login(client, "enumerator")
    assert client.post("/api/v1/submissions", json=_survey(world), headers=enumerator).is_success
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "household",
            AuditEntry.entity_id == str(world.households["A"].id),
            AuditEntry.action == "update",
        )
    ).one()
    before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
    assert before["members"]["1"]["national_id"] == "038080001234"
    assert after["members"]["1"]["national_id"] == "038080005678"
    assert after["members"]["1"]["national_id_issued_on"] == "2022-03-15"
    assert before["members"]["2"]["ethnicity"] is None


def test_a_newcomer_the_survey_lists_is_not_added_by_it(
    client: TestClient, world: World, session: Session
) -> None:
    # The registry's roster changes by household edits, which name the person; the survey's
    # grandchild (no member number) classifies with the household but is no registry member.
    enumerator = login(client, "enumerator")
    sent = client.post("/api/v1/submissions", json=_survey(world), headers=enumerator)
    assert sent.status_code == 201
    assert [m.member_no for m in _household(session, world).members] == ["1", "2"]


def test_a_fact_the_survey_left_empty_stays_as_the_registry_had_it(
    client: TestClient, world: World, session: Session
) -> None:
    answers = copy.deepcopy(FILLED["answers"])
    del answers["members"][0]["citizen_id"]
    del answers["members"][0]["citizen_id_issued_on"]
    del answers["members"][0]["citizen_id_issued_by"]
    enumerator = login(client, "enumerator")
    sent = client.post("/api/v1/submissions", json=_survey(world, answers), headers=enumerator)
    assert sent.status_code == 201, sent.json()
    head = _household(session, world).members[0]
    assert (head.national_id, head.ethnicity) == ("038080001234", "06")


def test_a_bad_citizen_id_is_refused_with_its_vietnamese_reason(
    client: TestClient, world: World, session: Session
) -> None:
    answers = copy.deepcopy(FILLED["answers"])
    # Digit 4 is 1: a woman's number, for the head, a man.
    answers["members"][0]["citizen_id"] = "038180005678"
    enumerator = login(client, "enumerator")
    sent = client.post("/api/v1/submissions", json=_survey(world, answers), headers=enumerator)
    assert (sent.status_code, sent.json()["error"]) == (422, "validation_failed")
    (issue,) = sent.json()["detail"]["issues"]
    assert (issue["path"], issue["rule"]) == ("members[0].citizen_id", "citizen_id_sex")
    assert issue["message"]["vi"] == "Số thứ tư không khớp với giới tính"
    assert _household(session, world).members[0].national_id == "038080001234"


def test_surveys_of_earlier_versions_are_still_received(
    client: TestClient, world: World, session: Session
) -> None:
    # Drafts filled on tablets before version 3 was released still sync.
    v2 = copy.deepcopy(FILLED["answers"])
    for member in v2["members"]:
        for key in [k for k in member if k not in _V2_ROW]:
            del member[key]
    survey = {**_survey(world, v2), "form_version": 2}
    sent = client.post("/api/v1/submissions", json=survey, headers=login(client, "enumerator"))
    assert sent.status_code == 201, sent.json()
    assert _household(session, world).members[0].ethnicity is None


_V2_ROW = {
    "full_name",
    "member_status",
    "birth_date",
    "sex",
    "relation",
    "disability",
    "health_insurance",
    "employment",
    "pension",
    "education",
    "in_school",
    "school_level",
    "stunted",
    "underweight",
    "phone_subscription",
    "uses_internet",
}
