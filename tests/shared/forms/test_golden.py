"""Golden answer sets: each filled form, changed one way, gives exactly the issues listed."""

from __future__ import annotations

from typing import Any

import pytest

from shared.forms import shipped, validate
from tests.shared.forms.helpers import brief, changed, golden_cases

CASES = golden_cases()


@pytest.mark.parametrize(
    ("form_id", "base", "case"), CASES, ids=[f"{form}: {case['name']}" for form, _, case in CASES]
)
def test_golden_answers_give_the_expected_issues(
    form_id: str, base: dict[str, Any], case: dict[str, Any]
) -> None:
    form = shipped().get(form_id, 1)  # the golden answers were filled in version 1
    issues = validate(form, changed(base, case))
    assert sorted(brief(issue) for issue in issues) == sorted(case["issues"])


def test_every_shipped_form_has_a_golden_table() -> None:
    tested = {form_id for form_id, _, _ in CASES}
    assert tested == {form.id for form in shipped().latest()}
