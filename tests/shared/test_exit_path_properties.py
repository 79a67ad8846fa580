"""Properties of exit paths, whatever the household (hypothesis, households as in
test_properties): a path's changes reach the class it promises, and no smaller change does."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import msgspec
from hypothesis import given, settings

from shared.engine import classify, parse_household
from shared.exit.actions import load_actions
from shared.exit.path import apply, exit_paths
from shared.household import Income
from tests.shared.test_properties import _prepare, household


@settings(max_examples=200, deadline=None)
@given(household)
def test_a_path_reaches_its_class_and_no_smaller_change_does(document: dict[str, Any]) -> None:
    facts = parse_household(_prepare(document))
    before = classify(facts)
    paths = exit_paths(facts)
    actions = load_actions()
    for path in paths.to_near_poor:
        after = apply(facts, path.steps)
        changed = classify(after)
        assert changed.household_class == path.reaches == "near_poor"
        # Only the path's indicators changed status.
        assert set(before.deprived) - set(changed.deprived) == {s.indicator for s in path.steps}
        assert set(changed.deprived) <= set(before.deprived)
        # Any fewer of the same steps leaves the household poor.
        for fewer in combinations(path.steps, len(path.steps) - 1):
            assert classify(apply(facts, fewer)).household_class == "poor"
        # No deprivation left out of the path ranks in a lower tier than one in it.
        highest = max(s.tier for s in path.steps)
        left = set(before.deprived) - {s.indicator for s in path.steps}
        assert all((actions.rank(i) or highest) >= highest for i in left)
    if paths.off_lists is not None:
        path = paths.off_lists
        assert classify(path.changed).household_class == path.reaches  # type: ignore[arg-type]
        assert path.reaches in ("average", "not_poor")
        line = paths.income_line_vnd
        short = msgspec.structs.replace(facts, income=Income(monthly_per_capita_vnd=line))
        assert classify(short).household_class in ("poor", "near_poor")
        assert paths.income_per_capita_vnd is not None
        assert path.income_gap_per_capita_vnd == line + 1 - paths.income_per_capita_vnd


@settings(max_examples=100, deadline=None)
@given(household)
def test_a_poor_household_has_a_path_unless_too_few_deprivations_can_be_helped(
    document: dict[str, Any],
) -> None:
    facts = parse_household(_prepare(document))
    paths = exit_paths(facts)
    if paths.household_class == "poor":
        assert paths.to_near_poor or "not_actionable" in paths.blocked
        assert paths.off_lists is not None
