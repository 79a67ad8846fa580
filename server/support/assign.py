"""Proposing helping officers for households registered to exit poverty: a min-cost flow.

Pure: no database, no clock, no randomness; the same input gives the same proposal. The server
builds the input from its tables (``server.support.service``); ``bench/assign.py`` from
generated communes.

The model (``docs/support.md``): source → household (capacity = officers it needs) → officer
(capacity 1 per pair, cost of the pair) → sink (one unit arc per free place of the officer, at
the marginal cost of its load) and household → sink at the ``unassigned`` penalty, so the
flow is always feasible and a household is left without an officer only when no allowed
officer has room. Hard constraints are arcs that do not exist: capacity, and, when required,
the hamlets an officer is responsible for. The cost of a pair is

    unmet_need × (needed skills the officer lacks)
    + distance_per_km × (km from the officer's base to the household)
    + change × (the household had other officers last year)

and each officer adds ``load × load² / capacity``, so work spreads in proportion to capacity.
Solved exactly by OR-tools' ``SimpleMinCostFlow`` on integer costs (milli-units). For large
communes each household keeps its ``candidates`` cheapest officers plus the greedy baseline's
choice, so the result is never worse than the baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

# Mean Earth radius (IUGG), metres: households and bases are projected onto a plane tangent at
# their mean latitude; within a commune (tens of km) the error is far below a GPS fix.
EARTH_RADIUS_M = 6_371_008.8
SCALE = 1000


@dataclass(frozen=True)
class Weights:
    """The parameters of the cost, documented in ``docs/support.md``."""

    unmet_need: float = 4.0
    distance_per_km: float = 1.0
    load: float = 2.0
    change: float = 3.0
    # A household without the officers it needs; dominates every other term.
    unassigned: float = 1000.0
    # Used when the household's location or the officer's base is not recorded.
    unknown_distance_km: float = 3.0
    require_hamlet: bool = True
    candidates: int = 40


@dataclass(frozen=True)
class HouseholdNeed:
    """A registered household: where it is, which skills its needs call for, who helped it
    last year and how many officers it needs."""

    id: int
    hamlet_id: int
    location: tuple[float, float] | None
    needs: frozenset[str]
    previous_officers: frozenset[int] = frozenset()
    officers: int = 1
    # Officers it may not be given (those already helping it).
    excluded_officers: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Officer:
    """A helping officer: skills, responsible hamlets (empty: the whole commune), home base,
    capacity and the households already held (assignments kept by hand)."""

    id: int
    skills: frozenset[str]
    capacity: int
    hamlet_ids: frozenset[int] = frozenset()
    base: tuple[float, float] | None = None
    held: int = 0


@dataclass(frozen=True)
class Pick:
    """One officer proposed for one household, with why."""

    household_id: int
    officer_id: int
    cost: float
    skills_matched: tuple[str, ...]
    skills_missing: tuple[str, ...]
    distance_km: float | None
    load: int
    capacity: int
    kept_from_last_year: bool
    responsible_for_hamlet: bool

    def explanation(self) -> dict[str, object]:
        """Return the pick's reasons as a JSON-able mapping."""
        return {
            "skills_matched": list(self.skills_matched),
            "skills_missing": list(self.skills_missing),
            "distance_km": self.distance_km,
            "load": self.load,
            "capacity": self.capacity,
            "kept_from_last_year": self.kept_from_last_year,
            "responsible_for_hamlet": self.responsible_for_hamlet,
            "cost": self.cost,
        }


@dataclass(frozen=True)
class Unassigned:
    household_id: int
    missing: int
    reason: str


@dataclass(frozen=True)
class Solution:
    """A proposal: the picks by household and officer, households left short, the total cost
    split by term, and each officer's load."""

    method: str
    picks: list[Pick]
    unassigned: list[Unassigned]
    total_cost: float
    cost_terms: dict[str, float]
    loads: dict[int, int] = field(default_factory=dict)

    @property
    def max_load(self) -> int:
        return max(self.loads.values(), default=0)


@dataclass
class _Problem:
    households: list[HouseholdNeed]
    officers: list[Officer]
    weights: Weights
    pair_cost: NDArray[np.float64]
    allowed: NDArray[np.bool_]
    unmet: NDArray[np.int64]
    distance_km: NDArray[np.float64]
    known_distance: NDArray[np.bool_]
    changed: NDArray[np.bool_]
    room: NDArray[np.int64]


def _project(points: Sequence[tuple[float, float]], latitude0: float) -> NDArray[np.float64]:
    lon = np.array([p[0] for p in points], dtype=np.float64)
    lat = np.array([p[1] for p in points], dtype=np.float64)
    x = np.radians(lon) * EARTH_RADIUS_M * math.cos(math.radians(latitude0))
    y = np.radians(lat) * EARTH_RADIUS_M
    return np.column_stack([x, y]) if len(points) else np.zeros((0, 2))


def _distances(
    households: list[HouseholdNeed], officers: list[Officer]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Return the km from each officer's base to each household (shapely, on a local plane)
    and where both points are known."""
    shape = (len(households), len(officers))
    located = np.array([h.location is not None for h in households], dtype=bool)
    based = np.array([o.base is not None for o in officers], dtype=bool)
    known = located[:, None] & based[None, :]
    km = np.zeros(shape)
    if not known.any():
        return km, known
    homes = [h.location for h in households if h.location is not None]
    bases = [o.base for o in officers if o.base is not None]
    latitude0 = float(np.mean([p[1] for p in homes + bases]))
    home_points = shapely.points(_project(homes, latitude0))
    base_points = shapely.points(_project(bases, latitude0))
    metres = shapely.distance(home_points[:, None], base_points[None, :])
    km[np.ix_(located, based)] = metres / 1000.0
    return km, known


def _problem(
    households: Sequence[HouseholdNeed], officers: Sequence[Officer], weights: Weights
) -> _Problem:
    ordered_households = sorted(households, key=lambda h: h.id)
    ordered_officers = sorted(officers, key=lambda o: o.id)
    skills = sorted({s for h in ordered_households for s in h.needs})
    bit = {skill: 1 << index for index, skill in enumerate(skills)}
    need_mask = np.array(
        [sum(bit[s] for s in h.needs) for h in ordered_households], dtype=np.uint64
    )
    skill_mask = np.array(
        [sum(bit[s] for s in o.skills if s in bit) for o in ordered_officers], dtype=np.uint64
    )
    unmet = np.bitwise_count(need_mask[:, None] & ~skill_mask[None, :]).astype(np.int64)
    km, known = _distances(ordered_households, ordered_officers)
    travel = np.where(known, km, weights.unknown_distance_km)
    officer_index = {o.id: j for j, o in enumerate(ordered_officers)}
    had_previous = np.array([bool(h.previous_officers) for h in ordered_households], dtype=bool)
    changed = np.repeat(had_previous[:, None], len(ordered_officers), axis=1)
    for i, h in enumerate(ordered_households):
        for previous in h.previous_officers:
            j = officer_index.get(previous)
            if j is not None:
                changed[i, j] = False
    pair_cost = (
        weights.unmet_need * unmet + weights.distance_per_km * travel + weights.change * changed
    )
    room = np.array([max(o.capacity - o.held, 0) for o in ordered_officers], dtype=np.int64)
    allowed = np.repeat((room > 0)[None, :], len(ordered_households), axis=0)
    if weights.require_hamlet:
        hamlets = sorted({h.hamlet_id for h in ordered_households})
        row = {hamlet: index for index, hamlet in enumerate(hamlets)}
        serves = np.zeros((len(hamlets), len(ordered_officers)), dtype=bool)
        for j, o in enumerate(ordered_officers):
            if not o.hamlet_ids:
                serves[:, j] = True
            for hamlet in o.hamlet_ids:
                if hamlet in row:
                    serves[row[hamlet], j] = True
        allowed &= serves[[row[h.hamlet_id] for h in ordered_households]]
    for i, h in enumerate(ordered_households):
        for excluded in h.excluded_officers:
            j = officer_index.get(excluded)
            if j is not None:
                allowed[i, j] = False
    return _Problem(
        list(ordered_households),
        list(ordered_officers),
        weights,
        pair_cost,
        allowed,
        unmet,
        km,
        known,
        changed,
        room,
    )


def _greedy_pairs(problem: _Problem) -> list[tuple[int, int]]:
    """Return (household index, officer index) pairs: each household in turn, each place it
    needs, takes the allowed officer with room whose pair cost plus next load step is least."""
    weights = problem.weights
    if not problem.officers:
        return []
    cost = np.where(problem.allowed, problem.pair_cost, np.inf)
    held = np.array([o.held for o in problem.officers], dtype=np.float64)
    capacity = np.array([max(o.capacity, 1) for o in problem.officers], dtype=np.float64)
    taken = np.zeros(len(problem.officers), dtype=np.int64)
    next_step = np.where(problem.room > 0, weights.load * (2 * held + 1) / capacity, np.inf)
    pairs: list[tuple[int, int]] = []
    for i, household in enumerate(problem.households):
        total = cost[i] + next_step
        for _ in range(household.officers):
            j = int(np.argmin(total))
            if not np.isfinite(total[j]):
                break
            total[j] = np.inf
            taken[j] += 1
            pairs.append((i, j))
            next_step[j] = (
                np.inf
                if taken[j] >= problem.room[j]
                else weights.load * (2 * (held[j] + taken[j]) + 1) / capacity[j]
            )
    return pairs


def _flow_pairs(problem: _Problem, hints: list[tuple[int, int]]) -> list[tuple[int, int]]:
    weights = problem.weights
    n_h, n_o = len(problem.households), len(problem.officers)
    if n_h == 0 or n_o == 0:
        return []
    cost = np.where(problem.allowed, problem.pair_cost, np.inf)
    keep = min(max(weights.candidates, max(h.officers for h in problem.households)), n_o)
    if keep < n_o:
        nearest = np.argpartition(cost, keep - 1, axis=1)[:, :keep]
        candidate = np.zeros((n_h, n_o), dtype=bool)
        np.put_along_axis(candidate, nearest, True, axis=1)
        candidate &= problem.allowed
    else:
        candidate = problem.allowed.copy()
    for i, j in hints:
        candidate[i, j] = True
    rows, cols = np.nonzero(candidate)
    source, sink = n_h + n_o, n_h + n_o + 1
    need = np.array([h.officers for h in problem.households], dtype=np.int64)
    officer_nodes = np.repeat(np.arange(n_o), problem.room)
    places = np.concatenate([np.arange(r) for r in problem.room]) if n_o else np.zeros(0)
    held = np.array([o.held for o in problem.officers], dtype=np.float64)
    capacity = np.array([max(o.capacity, 1) for o in problem.officers], dtype=np.float64)
    load_step = weights.load * (2 * (held[officer_nodes] + places) + 1) / capacity[officer_nodes]
    tails = np.concatenate([np.full(n_h, source), rows, officer_nodes + n_h, np.arange(n_h)])
    heads = np.concatenate(
        [np.arange(n_h), cols + n_h, np.full(len(officer_nodes), sink), np.full(n_h, sink)]
    )
    capacities = np.concatenate(
        [need, np.ones(len(rows)), np.ones(len(officer_nodes)), need]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.zeros(n_h),
            problem.pair_cost[rows, cols],
            load_step,
            np.full(n_h, weights.unassigned),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities,
        np.rint(costs * SCALE).astype(np.int64),
    )
    total = int(need.sum())
    flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(n_h, n_h + len(rows))) > 0
    return sorted(zip(rows[used].tolist(), cols[used].tolist(), strict=True))


def _solution(problem: _Problem, pairs: list[tuple[int, int]], method: str) -> Solution:
    weights = problem.weights
    counts: dict[int, int] = {}
    for _, j in pairs:
        counts[j] = counts.get(j, 0) + 1
    loads = {o.id: o.held + counts.get(j, 0) for j, o in enumerate(problem.officers)}
    picks = []
    terms = {"unmet_need": 0.0, "distance": 0.0, "change": 0.0, "load": 0.0, "unassigned": 0.0}
    given: dict[int, int] = {}
    for i, j in pairs:
        household, officer = problem.households[i], problem.officers[j]
        given[i] = given.get(i, 0) + 1
        known = bool(problem.known_distance[i, j])
        km = float(problem.distance_km[i, j])
        terms["unmet_need"] += weights.unmet_need * int(problem.unmet[i, j])
        terms["distance"] += weights.distance_per_km * (
            km if known else weights.unknown_distance_km
        )
        terms["change"] += weights.change * bool(problem.changed[i, j])
        picks.append(
            Pick(
                household_id=household.id,
                officer_id=officer.id,
                cost=round(float(problem.pair_cost[i, j]), 3),
                skills_matched=tuple(sorted(household.needs & officer.skills)),
                skills_missing=tuple(sorted(household.needs - officer.skills)),
                distance_km=round(km, 3) if known else None,
                load=loads[officer.id],
                capacity=officer.capacity,
                kept_from_last_year=officer.id in household.previous_officers,
                responsible_for_hamlet=not officer.hamlet_ids
                or household.hamlet_id in officer.hamlet_ids,
            )
        )
    for o in problem.officers:
        if o.capacity > 0:
            terms["load"] += weights.load * (loads[o.id] ** 2 - o.held**2) / o.capacity
    unassigned = []
    for i, household in enumerate(problem.households):
        missing = household.officers - given.get(i, 0)
        if missing > 0:
            terms["unassigned"] += weights.unassigned * missing
            reason = (
                "no_allowed_officer" if not problem.allowed[i].any() else "no_officer_with_room"
            )
            unassigned.append(Unassigned(household.id, missing, reason))
    terms = {k: round(v, 3) for k, v in terms.items()}
    return Solution(
        method=method,
        picks=picks,
        unassigned=unassigned,
        total_cost=round(sum(terms.values()), 3),
        cost_terms=terms,
        loads=loads,
    )


def solve(
    households: Sequence[HouseholdNeed], officers: Sequence[Officer], weights: Weights
) -> Solution:
    """Return the proposal of least cost that respects capacity and hamlet responsibility."""
    problem = _problem(households, officers, weights)
    pairs = _flow_pairs(problem, _greedy_pairs(problem))
    return _solution(problem, pairs, "min_cost_flow")


def greedy(
    households: Sequence[HouseholdNeed], officers: Sequence[Officer], weights: Weights
) -> Solution:
    """Return the baseline: households by id, each taking the cheapest officer with room."""
    problem = _problem(households, officers, weights)
    return _solution(problem, _greedy_pairs(problem), "greedy")
