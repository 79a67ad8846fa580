"""Validation is total: whatever arrives from a tablet or a client, issues come back, never an
exception; and the document of accepted answers is always a valid household."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.engine import parse_household
from shared.forms import check_answers, shipped
from tests.shared.forms.helpers import answers

FORMS = list(shipped().forms())  # every version still accepted from tablets
QUESTION_IDS = sorted({name for form in FORMS for name in form.nodes})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2026-10-15", "2026-02-30", "head", "none", "tv", "other", "", "  "]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=8)), inner, max_size=5
        ),
    ),
    max_leaves=20,
)
answer_maps = st.dictionaries(st.sampled_from(QUESTION_IDS), json_values, max_size=12)
REVIEW = answers("household_review_poor.yaml")
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _exercise(form_index: int, envelope: Any) -> None:
    form = FORMS[form_index % len(FORMS)]
    filled = check_answers(form, envelope)
    for issue in filled.issues:
        assert issue.message("vi")
        assert issue.message("en")
        issue.to_dict()
    filled.to_json()
    document = filled.document()
    if document is not None and not filled.errors:
        parse_household(document)


@FAST
@given(st.integers(min_value=0), json_values)
def test_any_json_value_gives_issues_not_exceptions(form_index: int, junk: Any) -> None:
    _exercise(form_index, junk)


@FAST
@given(st.integers(min_value=0), answer_maps)
def test_any_answers_to_real_questions_give_issues_not_exceptions(
    form_index: int, raw: dict[str, Any]
) -> None:
    form = FORMS[form_index % len(FORMS)]
    _exercise(form_index, {"form": form.id, "version": form.version, "answers": raw})


@FAST
@given(st.data())
def test_a_filled_review_changed_anywhere_gives_issues_not_exceptions(data: st.DataObject) -> None:
    filled_in = copy.deepcopy(REVIEW)
    target: Any = filled_in["answers"]
    while isinstance(target, dict | list) and target and data.draw(st.booleans()):
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        key = data.draw(st.sampled_from(keys))
        if not isinstance(target[key], dict | list):
            target[key] = data.draw(json_values)
            break
        target = target[key]
    else:
        if isinstance(target, dict):
            target[data.draw(st.sampled_from(QUESTION_IDS))] = data.draw(json_values)
    _exercise(FORMS.index(shipped().get("household_review", 1)), filled_in)
