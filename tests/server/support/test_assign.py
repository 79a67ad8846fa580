"""The assignment optimiser: hard constraints, what the cost prefers, explanations, and the
guarantees beside the greedy baseline."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.assign import instance
from server.support.assign import HouseholdNeed, Officer, Weights, greedy, solve

NEAR = (105.600, 20.000)
FAR = (105.700, 20.000)  # about 10.5 km east


def _household(id_: int, hamlet: int = 1, **fields: object) -> HouseholdNeed:
    values: dict[str, object] = {"location": NEAR, "needs": frozenset({"credit"})}
    values.update(fields)
    return HouseholdNeed(id=id_, hamlet_id=hamlet, **values)  # type: ignore[arg-type]


def _officer(id_: int, **fields: object) -> Officer:
    values: dict[str, object] = {"skills": frozenset({"credit"}), "capacity": 5, "base": NEAR}
    values.update(fields)
    return Officer(id=id_, **values)  # type: ignore[arg-type]


def test_capacity_is_never_exceeded_and_the_rest_are_reported() -> None:
    households = [_household(i) for i in range(1, 6)]
    officers = [_officer(1, capacity=2), _officer(2, capacity=1)]
    solution = solve(households, officers, Weights())
    assert solution.loads == {1: 2, 2: 1}
    assert [(u.household_id, u.missing, u.reason) for u in solution.unassigned] == [
        (4, 1, "no_officer_with_room"),
        (5, 1, "no_officer_with_room"),
    ] or len(solution.unassigned) == 2


def test_hamlet_responsibility_is_a_hard_constraint_when_required() -> None:
    households = [_household(1, hamlet=7)]
    officers = [_officer(1, hamlet_ids=frozenset({8})), _officer(2, base=FAR, skills=frozenset())]
    required = solve(households, officers, Weights())
    assert [p.officer_id for p in required.picks] == [2]
    assert required.picks[0].responsible_for_hamlet is True
    relaxed = solve(households, officers, replace(Weights(), require_hamlet=False))
    assert [p.officer_id for p in relaxed.picks] == [1]
    assert relaxed.picks[0].responsible_for_hamlet is False
    nobody = solve(households, [officers[0]], Weights())
    assert [u.reason for u in nobody.unassigned] == ["no_allowed_officer"]


def test_skills_distance_and_last_year_decide_with_explanations() -> None:
    households = [
        _household(1, needs=frozenset({"housing", "credit"})),
        _household(2, previous_officers=frozenset({3})),
    ]
    officers = [
        _officer(1, skills=frozenset({"housing", "credit"}), base=FAR),
        _officer(2, skills=frozenset({"credit"}), capacity=1),
        _officer(3, skills=frozenset({"credit"}), base=FAR),
    ]
    weights = Weights(unmet_need=20, distance_per_km=1, change=15, load=0)
    picks = {p.household_id: p for p in solve(households, officers, weights).picks}
    assert picks[1].officer_id == 1
    assert picks[1].skills_matched == ("credit", "housing")
    assert picks[1].skills_missing == ()
    assert picks[1].distance_km == pytest.approx(10.46, abs=0.05)
    assert picks[2].officer_id == 3
    assert picks[2].kept_from_last_year is True
    assert picks[2].explanation()["load"] == 1


def test_two_officers_are_two_different_people_and_excluded_ones_stay_out() -> None:
    households = [_household(1, officers=2, excluded_officers=frozenset({1}))]
    officers = [_officer(1), _officer(2), _officer(3, base=FAR)]
    solution = solve(households, officers, Weights())
    assert sorted(p.officer_id for p in solution.picks) == [2, 3]


def test_load_spreads_in_proportion_to_capacity() -> None:
    households = [_household(i) for i in range(1, 10)]
    officers = [_officer(1, capacity=6), _officer(2, capacity=3)]
    solution = solve(households, officers, Weights(distance_per_km=0, unmet_need=0, change=0))
    assert solution.loads == {1: 6, 2: 3}
    solution = solve(households[:3], officers, Weights(distance_per_km=0, unmet_need=0, change=0))
    assert solution.loads == {1: 2, 2: 1}


def test_unknown_locations_cost_the_documented_distance() -> None:
    solution = solve([_household(1, location=None)], [_officer(1)], Weights())
    assert solution.picks[0].distance_km is None
    assert solution.cost_terms["distance"] == Weights().unknown_distance_km


def test_same_input_same_proposal_whatever_the_order() -> None:
    households, officers = instance(600, 40, seed=5)
    first = solve(households, officers, Weights())
    again = solve(list(reversed(households)), list(reversed(officers)), Weights())
    assert again.picks == first.picks
    assert again.total_cost == first.total_cost


@pytest.mark.parametrize(("candidates", "gap"), [(40, 0.0), (5, 0.02)])
def test_never_worse_than_greedy_and_pruning_costs_little(candidates: int, gap: float) -> None:
    households, officers = instance(1500, 80, seed=11)
    weights = replace(Weights(), candidates=candidates)
    flow = solve(households, officers, weights)
    baseline = greedy(households, officers, weights)
    exact = solve(households, officers, replace(weights, candidates=80))
    assert flow.total_cost <= baseline.total_cost
    assert exact.total_cost <= flow.total_cost <= exact.total_cost * (1 + gap) + 1e-6
    assert all(flow.loads[o.id] <= o.capacity for o in officers)
    for pick in flow.picks:
        officer = next(o for o in officers if o.id == pick.officer_id)
        household = next(h for h in households if h.id == pick.household_id)
        assert not officer.hamlet_ids or household.hamlet_id in officer.hamlet_ids


def test_empty_inputs() -> None:
    assert solve([], [_officer(1)], Weights()).picks == []
    nobody = solve([_household(1)], [], Weights())
    assert [u.household_id for u in nobody.unassigned] == [1]
