"""End to end: a filled household review → the household document → the engine's class."""

from __future__ import annotations

from typing import Any

import pytest

from shared.engine import classify, parse_household
from shared.forms import check_answers, shipped
from tests.shared.forms.helpers import GOLDEN, answers, changed, load_yaml

CASES: list[dict[str, Any]] = load_yaml(GOLDEN / "documents.yaml")


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_a_filled_review_classifies_with_the_engine(case: dict[str, Any]) -> None:
    filled = check_answers(
        shipped().get("household_review", 1), changed(answers(case["answers"]), case)
    )
    assert filled.errors == ()
    document = filled.document()
    assert document is not None
    if "document" in case:
        assert document == case["document"]
    result = classify(parse_household(document))
    assert result.household_class == case["class"]
    assert sorted(result.deprived) == sorted(case["deprived"])


def test_unanswered_fields_are_left_out_of_the_document() -> None:
    filled = check_answers(
        shipped().get("household_review", 1),
        changed(
            answers("household_review_poor.yaml"), {"remove": ["answers.latrine", "answers.walls"]}
        ),
    )
    document = filled.document()
    assert document is not None
    assert "latrine" not in document
    assert document["housing"] == {"frame": "bamboo", "roof": "thatch", "floor_area_m2": 36}
    assert classify(parse_household(document)).to_dict()["complete"] is False


def test_clean_answers_carry_form_version_calculations_and_photo_purposes() -> None:
    filled = check_answers(
        shipped().get("household_review", 1), answers("household_review_poor.yaml")
    )
    stored = filled.to_json()
    assert (stored["form"], stored["version"]) == ("household_review", 1)
    assert stored["answers"]["income_annual_total_vnd"] == 58_000_000
    assert [member["age"] for member in stored["answers"]["members"]] == [47, 44, 14, 5]
    assert stored["answers"]["photo_latrine"] == {
        "file": "VL-KP2-0017-latrine.jpg",
        "purpose": "latrine",
    }
    assert stored["meta"]["device"] == "tablet-07"


def test_forms_without_a_mapping_have_no_document() -> None:
    form = shipped().get("support_visit")
    assert (
        check_answers(form, {"form": "support_visit", "version": 1, "answers": {}}).document()
        is None
    )


def test_cleaned_answers_validate_again_unchanged() -> None:
    """The tablet cleans the answers and sends them; the server checks the same answers again.
    Cleaning adds each photo's purpose tag, which the second check must accept."""
    import json

    form = shipped().get("household_review", 1)
    envelope = answers("household_review_poor.yaml")
    first = check_answers(form, envelope)
    assert first.errors == ()
    sent = json.loads(json.dumps({**envelope, "answers": first.answers}, default=str))
    assert sent["answers"]["photo_house"]["purpose"] == "house"
    second = check_answers(form, sent)
    assert second.errors == ()
    assert second.document() == first.document()


def test_a_photo_tagged_with_another_purpose_is_refused() -> None:
    form = shipped().get("household_review", 1)
    envelope = answers("household_review_poor.yaml")
    envelope["answers"]["photo_house"] = {"file": "x.jpg", "purpose": "latrine"}
    assert any(issue.path == "photo_house" for issue in check_answers(form, envelope).errors)
