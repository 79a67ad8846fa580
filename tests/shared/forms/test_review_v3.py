"""household_review 3: the members' facts of Decision 24's forms, each member known by their
number in the registry, and the citizen identity number checked as the registry checks it."""

from __future__ import annotations

from typing import Any

import pytest

from shared.forms import shipped, validate
from shared.forms.catalog import people_choices
from shared.forms.validate import check_answers
from shared.people import ethnic_groups
from tests.shared.forms.helpers import GOLDEN, answers, changed, load_yaml

V3 = "household_review_v3.yaml"


def _document(filled: dict[str, Any]) -> dict[str, Any]:
    document = check_answers(shipped().get("household_review", 3), filled).document()
    assert document is not None
    return document


def test_members_keep_their_registry_number_and_newcomers_get_an_id_apart() -> None:
    members = _document(answers(V3))["members"]
    assert [m["member_id"] for m in members] == ["1", "2", "3", "4", "1005"]


def test_the_members_facts_reach_the_document() -> None:
    head, spouse, *_ = _document(answers(V3))["members"]
    assert head["ethnicity"] == "02"
    assert head["citizen_id"] == "002079001234"
    assert head["citizen_id_issued_on"] == "2021-06-10"
    assert head["citizen_id_issued_by"].startswith("Cục Cảnh sát")
    assert head["activity"] == "working"
    assert head["no_labour_capacity"] is False
    assert head["monthly_social_allowance_vnd"] == 0
    assert head["revolutionary_merit"] is False
    # An empty current residence is the permanent one.
    assert head["current_residence"] == head["permanent_residence"]
    assert spouse["current_residence"] == "Khu công nghiệp Đình Trám, Bắc Giang"


def test_special_groups_and_causes_of_poverty_reach_the_document() -> None:
    document = _document(answers(V3))
    assert document["special_groups"] == ["ethnic_minority"]
    assert document["poverty_causes"] == ["lack_land", "other"]
    assert document["poverty_cause_other"] == "Mất mùa do lũ quét năm 2025"


def test_none_of_the_special_groups_is_an_empty_list_not_unrecorded() -> None:
    document = _document(changed(answers(V3), {"set": {"answers.special_groups": ["none"]}}))
    assert document["special_groups"] == []


@pytest.mark.parametrize("case", load_yaml(GOLDEN / "citizen_ids.yaml"), ids=lambda c: c["number"])
def test_a_citizen_identity_number_is_checked_with_its_reason(case: dict[str, Any]) -> None:
    filled = changed(answers(V3), {"set": {"answers.members[0].citizen_id": case["number"]}})
    issues = [
        i for i in validate(shipped().get("household_review", 3), filled) if i.severity == "error"
    ]
    if case["rule"] is None:
        assert issues == []
        return
    assert [(i.path, i.rule) for i in issues] == [("members[0].citizen_id", case["rule"])]
    assert issues[0].message("vi") == case["vi"]


def test_an_issue_date_is_asked_only_with_a_number() -> None:
    filled = changed(answers(V3), {"remove": ["answers.members[0].citizen_id"]})
    assert "citizen_id_issued_on" not in _document(filled)["members"][0]


def test_the_ethnic_groups_are_the_official_list_of_shared_people() -> None:
    choices = people_choices().choice_lists["ethnicity"]
    assert {c.value: c.label.vi for c in choices} == ethnic_groups()
    assert len(choices) == 54
    assert shipped().get("household_review", 3).nodes["ethnicity"].choices[0].label.vi == "Kinh"


@pytest.mark.parametrize(
    ("version", "filled"),
    [(1, "household_review_poor.yaml"), (3, V3)],
)
def test_earlier_versions_still_open_and_check_their_own_answers(version: int, filled: str) -> None:
    form = shipped().get("household_review", version)
    assert [i for i in validate(form, answers(filled)) if i.severity == "error"] == []
    assert form.version == version
