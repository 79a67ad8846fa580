"""A commune's gap to its targets in units people can budget, and what would happen if every
action were done (what-if), from the households' stored classifications.

For an area (a hamlet, or the whole commune):

1. **Poverty target.** When the area's year-end target of poor households is below the count
   now, the difference must leave poverty. The poor households with the cheapest paths to
   near-poor (fewest actions, then lowest tiers; ``shared.exit.path``) are chosen, and their
   first path's actions planned.
2. **Service targets** (seed 003: 90 % of poor households with a hygienic latrine, …). Each
   needs at least ``percent`` % of its population's households not deprived in its indicator;
   actions already planned in step 1 count towards it, and the rest go to the other households
   lacking it, in the order of their ids.
3. **Units** are the planned actions per indicator: one per household. Stored results do not
   say how many members lack a health-insurance card, so member-level help (cards, people) is
   counted in households, each needing at least one.
4. **What-if** applies every planned action: each household loses the deprivations resolved and
   is classified again by the standard's rules (``shared.engine.class_from_counts``).

A hamlet's figures use its own target and the commune's percentages over its own households; so
the hamlets' units need not add up to the commune's (the commune may meet its count in any
hamlet, and percentages round up per area).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Literal

from shared.engine import class_from_counts
from shared.errors import Lang
from shared.exit.actions import load_actions
from shared.exit.path import ExitPaths, Path
from shared.standard import Standard
from shared.vocabulary import ON_LISTS, HouseholdClass


@dataclass(frozen=True)
class Listed:
    """A household on the lists, as its stored classification says."""

    household_id: str
    standard: Standard
    area: Literal["rural", "urban"]
    household_class: HouseholdClass
    income_per_capita_vnd: int | None
    deprived: tuple[str, ...]
    unknown: int
    paths: ExitPaths


@dataclass(frozen=True)
class ServiceGoal:
    """At least ``percent`` % of the households of ``population`` not deprived in
    ``indicator``."""

    key: str
    title: str
    indicator: str
    population: tuple[str, ...]
    percent: float


@dataclass(frozen=True)
class ServiceGap:
    key: str
    title: str
    indicator: str
    households: int
    reached: int
    required: int
    actions: int
    reached_after: int
    percent_after: float


@dataclass(frozen=True)
class WhatIf:
    """The area once every planned action is done."""

    poor: int
    near_poor: int
    poor_rate: float
    near_poor_rate: float
    leave_poverty: int
    leave_lists: int


@dataclass(frozen=True)
class AreaGap:
    code: str
    name: str
    households: int
    poor: int
    near_poor: int
    poor_target: int | None
    to_lift: int
    liftable: int
    units: dict[str, int]
    budget: dict[str, str]
    services: list[ServiceGap]
    what_if: WhatIf


def rate(count: int, total: int) -> float:
    """Return ``count`` as a percentage of ``total`` to two decimals (0 for no households)."""
    return 0.0 if total <= 0 else round(100.0 * count / total, 2)


def _cost(path: Path) -> tuple[int, tuple[int, ...]]:
    return (len(path.steps), tuple(sorted(step.tier for step in path.steps)))


def budget_line(units: dict[str, int], lang: Lang) -> str:
    """Return the units as people budget them: "3 nhà tiêu hợp vệ sinh, 1 nhà, …", in the
    order of the forms of help (``actions.yaml``)."""
    actions = load_actions()
    parts = []
    for indicator in sorted(units, key=actions.order):
        action = actions.actions[indicator]
        unit = action.unit_households if action.per == "member" else action.unit
        parts.append(f"{units[indicator]} {(unit or action.unit)[lang]}")
    return ", ".join(parts)


def area_gap(
    code: str,
    name: str,
    households: int,
    listed: Sequence[Listed],
    poor_target: int | None,
    goals: Sequence[ServiceGoal],
) -> AreaGap:
    """Return the area's gap to its targets and the what-if once every action is done."""
    poor = [h for h in listed if h.household_class == "poor"]
    near_poor = sum(1 for h in listed if h.household_class == "near_poor")
    to_lift = 0 if poor_target is None else max(len(poor) - poor_target, 0)
    liftable = sorted(
        (h for h in poor if h.paths.to_near_poor),
        key=lambda h: (_cost(h.paths.to_near_poor[0]), h.household_id),
    )
    planned: dict[str, set[str]] = {h.household_id: set() for h in listed}
    for household in liftable[:to_lift]:
        planned[household.household_id] |= {
            s.indicator for s in household.paths.to_near_poor[0].steps
        }
    goal_counts = []
    for goal in goals:
        population = [h for h in listed if h.household_class in goal.population]
        lacking = [h for h in population if goal.indicator in h.deprived]
        reached = len(population) - len(lacking)
        # Exact: 90 % of 7 households is 6.3, so 7 must have it.
        required = ceil(Fraction(str(goal.percent)) * len(population) / 100)
        covered = sum(1 for h in lacking if goal.indicator in planned[h.household_id])
        for household in sorted(lacking, key=lambda h: h.household_id):
            if reached + covered >= required:
                break
            if goal.indicator not in planned[household.household_id]:
                planned[household.household_id].add(goal.indicator)
                covered += 1
        goal_counts.append((goal, population, reached, required))
    units: dict[str, int] = {}
    for resolved in planned.values():
        for indicator in resolved:
            units[indicator] = units.get(indicator, 0) + 1
    after: dict[str, HouseholdClass] = {}
    for household in listed:
        left = len(set(household.deprived) - planned[household.household_id])
        after[household.household_id] = class_from_counts(
            household.standard,
            household.area,
            household.income_per_capita_vnd,
            left,
            household.unknown,
        )
    services = []
    for goal, population, reached, required in goal_counts:
        done = sum(
            1
            for h in population
            if goal.indicator in h.deprived and goal.indicator in planned[h.household_id]
        )
        services.append(
            ServiceGap(
                goal.key,
                goal.title,
                goal.indicator,
                len(population),
                reached,
                required,
                sum(1 for h in population if goal.indicator in planned[h.household_id]),
                reached + done,
                rate(reached + done, len(population)) if population else 100.0,
            )
        )
    poor_after = sum(1 for c in after.values() if c == "poor")
    near_after = sum(1 for c in after.values() if c == "near_poor")
    return AreaGap(
        code,
        name,
        households,
        len(poor),
        near_poor,
        poor_target,
        to_lift,
        min(len(liftable), to_lift),
        dict(sorted(units.items(), key=lambda item: load_actions().order(item[0]))),
        {lang: budget_line(units, lang) for lang in ("vi", "en")},
        services,
        WhatIf(
            poor_after,
            near_after,
            rate(poor_after, households),
            rate(near_after, households),
            sum(1 for h in poor if after[h.household_id] != "poor"),
            sum(1 for h in listed if after[h.household_id] not in ON_LISTS),
        ),
    )
