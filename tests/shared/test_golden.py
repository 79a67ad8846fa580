"""The engine against the golden tables in tests/shared/golden/ (one test per case)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.engine import classify, parse_household
from shared.standards import load_catalog
from tests.shared.golden import load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[name for name, _ in CASES])
def test_golden_case(case: dict[str, Any]) -> None:
    household = parse_household(case["document"])
    standard = load_catalog().get(case["standard"]) if "standard" in case else None
    result = classify(household, standard=standard).to_dict("en")
    expect = case["expect"]
    for key in ("standard", "class", "complete", "score_b", "income_line_vnd"):
        if key in expect:
            assert result[key] == expect[key], key
    if "income_per_capita_vnd" in expect:
        assert result["income_per_capita_vnd"] == expect["income_per_capita_vnd"]
    if "deprived" in expect:
        assert sorted(result["deprived"]) == sorted(expect["deprived"])
    if "unknown" in expect:
        assert sorted(result["unknown"]) == sorted(expect["unknown"])
    for indicator, status in expect.get("indicators", {}).items():
        assert result["indicators"][indicator]["status"] == status, indicator
    for field in expect.get("missing_contains", []):
        assert field in result["missing"]
    if "missing" in expect:
        assert result["missing"] == expect["missing"]
    for indicator in result["deprived"]:
        assert result["indicators"][indicator]["reason"], "a deprivation always has a reason"


def test_every_indicator_has_golden_cases_for_both_outcomes() -> None:
    seen: dict[str, set[str]] = {}
    for _, case in CASES:
        standard = load_catalog().get(case["standard"]) if "standard" in case else None
        result = classify(parse_household(case["document"]), standard=standard)
        for indicator, outcome in result.outcomes:
            seen.setdefault(indicator.id, set()).add(outcome.status)
    for standard in load_catalog().standards:
        for indicator in standard.indicators:
            assert {"deprived", "not_deprived"} <= seen[indicator.id], indicator.id
