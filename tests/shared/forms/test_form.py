"""Compiling a form catches authoring mistakes when the form loads, not in the field."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.forms.form import Form, compile_form
from shared.forms.model import FormDefinition

BASE = """
id: sample
version: 1
title: {vi: "Mẫu", en: "Sample"}
shared_choices: [household/1]
questions:
  - {id: reference_date, type: date, label: {vi: "Ngày", en: "Date"}}
  - {id: area, type: select_one, choices: area, label: {vi: "Khu vực", en: "Area"}}
  - {id: member_count, type: integer, label: {vi: "Số người", en: "Members"}}
  - id: members
    type: roster
    count: member_count
    label: {vi: "Thành viên", en: "Members"}
    questions:
      - {id: relation, type: select_one, choices: relation, label: {vi: "Quan hệ", en: "Relation"}}
      - {id: birth_date, type: date, label: {vi: "Ngày sinh", en: "Born"}}
"""


def compile_yaml(extra: dict[str, Any] | None = None, questions: list[Any] | None = None) -> Form:
    raw = yaml.safe_load(BASE)
    raw["questions"].extend(questions or [])
    raw.update(extra or {})
    return compile_form(FormDefinition.model_validate(raw), shipped().shared, "sample.yaml")


def q(id_: str, type_: str = "yes_no", **more: Any) -> dict[str, Any]:
    return {"id": id_, "type": type_, "label": {"vi": id_, "en": id_}, **more}


def test_the_sample_compiles() -> None:
    form = compile_yaml()
    assert form.nodes["relation"].rosters == ("members",)


@pytest.mark.parametrize(
    ("questions", "extra", "problem"),
    [
        ([q("area")], None, "used twice"),
        ([q("x", "select_one", choices="colours")], None, "no choice list 'colours'"),
        ([q("x", relevant="nobody = 1")], None, "no question named 'nobody'"),
        ([q("x", relevant="relation = 'head'")], None, "inside roster 'members'"),
        ([q("x", relevant="members > 3")], None, "can only be used inside count"),
        ([q("x", relevant="area = 'suburban'")], None, "'suburban' is not a choice of 'area'"),
        ([q("x", relevant="member_count = 'four'")], None, "cannot compare a number with a text"),
        ([q("x", relevant="member_count + 1")], None, "needs a condition"),
        ([q("x", relevant="later"), q("later")], None, "comes later"),
        ([q("x", relevant="count(area) > 1")], None, "needs a roster"),
        ([q("x", relevant="frobnicate(area)")], None, "unknown function frobnicate()"),
        ([q("x", relevant="area = 'rural' and")], None, "ends too early"),
        ([q("x", relevant="1 < 2 < 3")], None, "do not chain"),
        ([q("x", relevant="date('2026-02-30') = reference_date")], None, "not a valid date"),
        ([q("x", relevant="position() = 1")], None, "only meaningful inside a roster"),
        (
            [
                q(
                    "x",
                    "integer",
                    constraints=[
                        {"id": "c", "check": ". > 'a'", "message": {"vi": "a", "en": "a"}}
                    ],
                )
            ],
            None,
            "cannot compare",
        ),
        ([q("x", relevant=". = true")], None, "only meaningful in a question's own constraint"),
        ([q("x", "roster", count="area", questions=[q("y")])], None, "must be an earlier integer"),
        (
            None,
            {
                "rules": [
                    {
                        "id": "r",
                        "check": "member_count",
                        "path": "members",
                        "message": {"vi": "a", "en": "a"},
                    }
                ]
            },
            "needs a condition",
        ),
        (
            None,
            {
                "rules": [
                    {
                        "id": "r",
                        "check": "true",
                        "path": "nowhere",
                        "message": {"vi": "a", "en": "a"},
                    }
                ]
            },
            "no question 'nowhere'",
        ),
        (None, {"shared_choices": ["household/7"]}, "no shared choice lists 'household/7'"),
        (
            None,
            {"choice_lists": {"area": [{"value": "x", "label": {"vi": "x", "en": "x"}}]}},
            "defined twice",
        ),
        (
            None,
            {"document": {"format": "rasoat.household/1", "fields": {"colour": "area"}}},
            "no field 'colour'",
        ),
        (
            None,
            {"document": {"format": "rasoat.household/1", "fields": {"area": "member_count"}}},
            "needs a text",
        ),
        (
            None,
            {
                "document": {
                    "format": "rasoat.household/1",
                    "fields": {
                        "members": {
                            "each": "members",
                            "fields": {"member_id": "relation", "relation": "area"},
                        }
                    },
                }
            },
            "not in the document's vocabulary",
        ),
        (
            None,
            {
                "document": {
                    "format": "rasoat.household/1",
                    "fields": {"members": {"each": "area", "fields": {}}},
                }
            },
            "not a roster",
        ),
        (
            None,
            {"document": {"format": "rasoat.household/1", "fields": {"housing": "area"}}},
            "needs an object",
        ),
        (
            None,
            {"document": {"format": "rasoat.household/1", "fields": {"format": "area"}}},
            "written from the mapping",
        ),
    ],
)
def test_an_authoring_mistake_is_an_invalid_form(
    questions: list[Any] | None, extra: dict[str, Any] | None, problem: str
) -> None:
    with pytest.raises(RasoatError) as caught:
        compile_yaml(extra, questions)
    assert caught.value.code == ErrorCode.INVALID_FORM
    assert problem in caught.value.detail["problem"]


def test_aggregates_see_inside_their_roster() -> None:
    form = compile_yaml(
        questions=[
            q("has_head", "calculate", expression="any(members, relation = 'head')"),
            q("eldest", "calculate", expression="min(members, years(birth_date, reference_date))"),
        ]
    )
    assert form.nodes["has_head"].type is not None
    assert form.nodes["has_head"].type.kind == "bool"
