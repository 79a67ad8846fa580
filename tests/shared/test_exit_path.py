"""Exit paths against golden tables (tests/shared/exit_paths/*.yaml), in both standards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.engine import classify, parse_household
from shared.exit.actions import load_actions
from shared.exit.path import apply, exit_paths, paths_from_result
from shared.standards import load_catalog
from tests.shared.golden import apply_patch

TABLES = Path(__file__).parent / "exit_paths"


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    cases = []
    for path in sorted(TABLES.glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in table["cases"]:
            document = apply_patch(table["base"], case.get("patch", {}))
            document["members"] = document["members"] + case.get("add_members", [])
            cases.append(
                (f"{path.stem}: {case['name']}", table["standard"], {**case, "document": document})
            )
    return cases


CASES = _cases()


@pytest.mark.parametrize(("standard_id", "case"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_golden_exit_path(standard_id: str, case: dict[str, Any]) -> None:
    standard = load_catalog().get(standard_id)
    household = parse_household(case["document"])
    paths = exit_paths(household, standard=standard)

    assert paths.household_class == case["class"]
    assert [[s.indicator for s in p.steps] for p in paths.to_near_poor] == case["to_near_poor"]
    for path in paths.to_near_poor:
        assert path.reaches == "near_poor"
        assert classify(apply(household, path.steps), standard=standard).household_class == (
            "near_poor"
        )
        for step in path.steps:
            assert step.units == case.get("units", {}).get(step.indicator, 1)
    expected = case["off_lists"]
    if expected is None:
        assert paths.off_lists is None
    else:
        assert paths.off_lists is not None
        assert paths.off_lists.income_gap_per_capita_vnd == expected["gap_per_capita"]
        assert paths.off_lists.income_gap_household_vnd == expected["gap_household"]
        assert paths.off_lists.reaches == expected["reaches"]
    assert list(paths.blocked) == case.get("blocked", [])
    assert list(paths.missing) == case.get("missing", [])
    for lang, text in case.get("says", {}).items():
        assert text in paths.to_dict(lang)["summary"]


@pytest.mark.parametrize(("standard_id", "case"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_stored_results_give_the_same_paths(standard_id: str, case: dict[str, Any]) -> None:
    """The commune's gap works from stored results: the indicators chosen, the class reached
    and the income gap per person must be those the household's facts give."""
    standard = load_catalog().get(standard_id)
    household = parse_household(case["document"])
    result = classify(household, standard=standard)
    facts = exit_paths(household, standard=standard)
    stored = paths_from_result(
        standard,
        household.household_id,
        household.area,
        result.household_class,
        None if result.income is None else result.income.per_capita_vnd,
        result.deprived,
        len(result.unknown),
        len(household.members),
    )
    assert [[s.indicator for s in p.steps] for p in stored.to_near_poor] == [
        [s.indicator for s in p.steps] for p in facts.to_near_poor
    ]
    assert [p.reaches for p in stored.to_near_poor] == [p.reaches for p in facts.to_near_poor]
    if facts.off_lists is not None:
        assert stored.off_lists is not None
        assert stored.off_lists.income_gap_household_vnd == facts.off_lists.income_gap_household_vnd
        assert stored.off_lists.reaches == facts.off_lists.reaches


def test_every_indicator_of_both_standards_is_ranked_or_declared_unactionable() -> None:
    actions = load_actions()
    for standard in load_catalog().standards:
        for indicator in standard.indicators:
            assert indicator.id in actions.actions, indicator.id


def test_a_latrine_and_water_rank_before_an_adults_schooling() -> None:
    actions = load_actions()
    assert actions.order("latrine") < actions.order("adult_education")
    assert actions.order("water_source") < actions.order("adult_education")
    assert actions.rank("dependents") is None
