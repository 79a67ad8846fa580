"""Propose helping officers for a generated province-sized plan, beside the greedy baseline.

Generates a commune-like instance (households in a grid of hamlets, officers with skills,
responsible hamlets, home bases and capacities, a third of households helped last year, a
fifth needing two officers), then times ``server.support.assign.solve`` (the min-cost flow,
input building included) and runs the greedy baseline on the same input. With ``--exact`` the
flow is solved again over every allowed pair (no candidate pruning) to show the gap.

Usage: python -m bench.assign [--quick] [--households N] [--officers M] [--seed S] [--exact]
Target: 10,000 households × 500 officers in ≤ 5 s, cost no worse than greedy. The last line
is ``RESULT key=value …``.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from server.support.assign import HouseholdNeed, Officer, Weights, greedy, solve

SKILLS = ("crops_livestock", "credit", "vocational_jobs", "health", "housing", "social_assistance")
TARGET_SECONDS = 5.0
# The generated commune: hamlets in a grid of cells this size (degrees, about 1 km).
ORIGIN = (105.6, 20.0)
CELL = 0.01


def _point(rng: random.Random, hamlet: int, columns: int) -> tuple[float, float]:
    column, row = hamlet % columns, hamlet // columns
    return (
        round(ORIGIN[0] + (column + rng.random()) * CELL, 6),
        round(ORIGIN[1] + (row + rng.random()) * CELL, 6),
    )


def instance(
    households: int, officers: int, seed: int
) -> tuple[list[HouseholdNeed], list[Officer]]:
    """Return a generated plan: about 200 households per hamlet, officers responsible for
    one to three neighbouring hamlets (one in five for the whole commune)."""
    rng = random.Random(seed)
    hamlets = max(1, households // 200)
    columns = max(1, int(hamlets**0.5))
    staff = []
    for number in range(1, officers + 1):
        home = rng.randrange(hamlets)
        responsible = (
            frozenset()
            if rng.random() < 0.2
            else frozenset(
                min(max(home + offset, 0), hamlets - 1) for offset in range(rng.randint(0, 2) + 1)
            )
        )
        staff.append(
            Officer(
                id=number,
                skills=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
                capacity=rng.randint(20, 34),
                hamlet_ids=responsible,
                base=_point(rng, home, columns) if rng.random() < 0.95 else None,
            )
        )
    plan = []
    for number in range(1, households + 1):
        hamlet = rng.randrange(hamlets)
        local = [o.id for o in staff if not o.hamlet_ids or hamlet in o.hamlet_ids]
        previous = frozenset({rng.choice(local)}) if local and rng.random() < 1 / 3 else frozenset()
        plan.append(
            HouseholdNeed(
                id=number,
                hamlet_id=hamlet,
                location=_point(rng, hamlet, columns) if rng.random() < 0.9 else None,
                needs=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
                previous_officers=previous,
                officers=2 if rng.random() < 0.2 else 1,
            )
        )
    return plan, staff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 × 100 with --exact")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--officers", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--exact", action="store_true", help="also solve without pruning")
    args = parser.parse_args()
    households, officers = (2000, 100) if args.quick else (args.households, args.officers)
    exact = args.exact or args.quick
    plan, staff = instance(households, officers, args.seed)
    weights = Weights()
    demand = sum(h.officers for h in plan)
    print(
        f"instance: {households} households ({demand} places), {officers} officers "
        f"(capacity {sum(o.capacity for o in staff)}), seed {args.seed}"
    )

    started, cpu = time.perf_counter(), time.process_time()
    flow = solve(plan, staff, weights)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    baseline = greedy(plan, staff, weights)
    greedy_seconds = time.perf_counter() - started
    again = solve(plan, staff, weights)
    deterministic = again.picks == flow.picks
    over = sum(1 for o in staff if flow.loads[o.id] > o.capacity)

    for solution, took in ((flow, seconds), (baseline, greedy_seconds)):
        terms = " ".join(f"{k}={v:.1f}" for k, v in solution.cost_terms.items())
        print(
            f"{solution.method:>14}: {took:6.2f} s  cost {solution.total_cost:12.1f}  "
            f"max load {solution.max_load:3d}  unassigned {len(solution.unassigned):4d}  {terms}"
        )
    gap = None
    if exact:
        started = time.perf_counter()
        full = solve(plan, staff, replace(weights, candidates=officers))
        print(
            f"{'exact (no pruning)':>14}: {time.perf_counter() - started:6.2f} s  "
            f"cost {full.total_cost:12.1f}"
        )
        gap = flow.total_cost - full.total_cost
    better = flow.total_cost <= baseline.total_cost + 1e-6
    within = seconds <= TARGET_SECONDS
    print(
        f"RESULT households={households} officers={officers} seconds={seconds:.2f} "
        f"cpu_seconds={cpu_seconds:.2f} "
        f"target_s={TARGET_SECONDS:.0f} within_target={within} cost={flow.total_cost:.1f} "
        f"greedy_cost={baseline.total_cost:.1f} "
        f"saving_pct={100 * (baseline.total_cost - flow.total_cost) / baseline.total_cost:.1f} "
        f"max_load={flow.max_load} greedy_max_load={baseline.max_load} "
        f"unassigned={len(flow.unassigned)} capacity_exceeded={over} "
        f"not_worse_than_greedy={better} deterministic={deterministic}"
        + ("" if gap is None else f" gap_to_exact={gap:.1f}")
    )


if __name__ == "__main__":
    main()
