"""A commune's gap to its targets in units people can budget, and what would happen if every
action were done (what-if), from the households' stored classifications.

For an area (a hamlet, or the whole commune):

1. **Poverty target.** When the area's year-end target of poor households is below the count
   now, the difference must leave poverty. The poor households with the cheapest paths to
   near-poor (fewest actions, then lowest tiers; ``shared.exit.path``) are chosen, and their
   first path's actions planned.
2. **Service targets** (seed 003: 90 % of poor households with a hygienic latrine, 100 % of
   the near-poor's persons insured, no child out of school …). Each needs at least ``percent``
   % of its population's units not deprived in its indicator, in the target's unit:
   households, persons (the members of the households) or children (of school age). A
   household lacking it counts the members its deprivation names (the uninsured, the children
   out of school), one for a household-level indicator. Actions already planned in step 1
   count towards it, and the rest go to the other households lacking it, in the order of their
   ids, until enough units are reached.
3. **Units** are the planned actions per indicator, counted as the indicator's target counts
   (persons to insure, children to bring back to school), else one per household.
4. **What-if** applies every planned action: each household loses the deprivations resolved and
   is classified again by the standard's rules (``shared.engine.class_from_counts``).

A hamlet's figures use its own target and the commune's percentages over its own households; so
the hamlets' units need not add up to the commune's (the commune may meet its count in any
hamlet, and percentages round up per area).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil
from typing import Literal

from shared.engine import class_from_counts
from shared.errors import Lang
from shared.exit.actions import load_actions
from shared.exit.path import ExitPaths, Path
from shared.standard import Standard
from shared.vocabulary import ON_LISTS, HouseholdClass, TargetUnit


@dataclass(frozen=True)
class Listed:
    """A household on the lists, as its stored classification says: its members (persons),
    its children of school age, and per deprived indicator how many members the deprivation
    names (the uninsured, the children out of school; 1 for a household-level one)."""

    household_id: str
    standard: Standard
    area: Literal["rural", "urban"]
    household_class: HouseholdClass
    income_per_capita_vnd: int | None
    deprived: tuple[str, ...]
    unknown: int
    paths: ExitPaths
    persons: int = 0
    children: int = 0
    named: Mapping[str, int] = field(default_factory=dict)

    def size(self, unit: TargetUnit) -> int:
        """Return how many of ``unit`` the household counts (1 in households)."""
        return self.persons if unit == "persons" else self.children if unit == "children" else 1

    def lacking(self, indicator: str, unit: TargetUnit) -> int:
        """Return how many of ``unit`` lack ``indicator`` (0 when not deprived in it)."""
        if indicator not in self.deprived:
            return 0
        return 1 if unit == "households" else max(self.named.get(indicator, 1), 1)


@dataclass(frozen=True)
class ServiceGoal:
    """At least ``percent`` % of the ``unit`` of the households of ``population`` not
    deprived in ``indicator``."""

    key: str
    title: str
    indicator: str
    population: tuple[str, ...]
    percent: float
    unit: TargetUnit = "households"


@dataclass(frozen=True)
class ServiceGap:
    """A service target in an area: ``households`` of its population; ``total``, ``reached``,
    ``required``, ``actions`` (units planned) and ``reached_after`` counted in ``unit``."""

    key: str
    title: str
    indicator: str
    unit: TargetUnit
    households: int
    total: int
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
    """An area's gap: ``units`` per indicator, each counted in ``counted_in[indicator]``."""

    code: str
    name: str
    households: int
    poor: int
    near_poor: int
    poor_target: int | None
    to_lift: int
    liftable: int
    units: dict[str, int]
    counted_in: dict[str, TargetUnit]
    budget: dict[str, str]
    services: list[ServiceGap]
    what_if: WhatIf


def rate(count: int, total: int) -> float:
    """Return ``count`` as a percentage of ``total`` to two decimals (0 for no households)."""
    return 0.0 if total <= 0 else round(100.0 * count / total, 2)


def _cost(path: Path) -> tuple[int, tuple[int, ...]]:
    return (len(path.steps), tuple(sorted(step.tier for step in path.steps)))


def unit_label(indicator: str, unit: TargetUnit, lang: Lang) -> str:
    """Return what one unit of help for ``indicator`` is called when counted in ``unit``:
    "nhà tiêu hợp vệ sinh", "hộ cần thẻ BHYT", "khẩu cần tham gia BHYT"."""
    action = load_actions().actions[indicator]
    if action.per == "household":
        return action.unit[lang]
    people = action.unit_people if unit != "households" else action.unit_households
    return (people or action.unit)[lang]


def budget_line(
    units: Mapping[str, int], lang: Lang, counted_in: Mapping[str, TargetUnit] | None = None
) -> str:
    """Return the units as people budget them: "3 nhà tiêu hợp vệ sinh, 1 nhà, …", in the
    order of the forms of help (``actions.yaml``); an indicator not in ``counted_in`` counts
    households."""
    counted = counted_in or {}
    return ", ".join(
        f"{units[i]} {unit_label(i, counted.get(i, 'households'), lang)}"
        for i in sorted(units, key=load_actions().order)
    )


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
        unit, indicator = goal.unit, goal.indicator
        population = [h for h in listed if h.household_class in goal.population]
        lacking = [h for h in population if indicator in h.deprived]
        total = sum(h.size(unit) for h in population)
        reached = max(total - sum(h.lacking(indicator, unit) for h in lacking), 0)
        # Exact: 90 % of 7 households is 6.3, so 7 must have it.
        required = ceil(Fraction(str(goal.percent)) * total / 100)
        covered = sum(
            h.lacking(indicator, unit) for h in lacking if indicator in planned[h.household_id]
        )
        for household in sorted(lacking, key=lambda h: h.household_id):
            if reached + covered >= required:
                break
            if indicator not in planned[household.household_id]:
                planned[household.household_id].add(indicator)
                covered += household.lacking(indicator, unit)
        goal_counts.append((goal, population, total, reached, required))
    # Each indicator counted as its target counts it; the first target naming it decides.
    counted_in: dict[str, TargetUnit] = {}
    for goal in goals:
        counted_in.setdefault(goal.indicator, goal.unit)
    by_id = {h.household_id: h for h in listed}
    units: dict[str, int] = {}
    for household_id, resolved in planned.items():
        for indicator in resolved:
            unit = counted_in.get(indicator, "households")
            units[indicator] = units.get(indicator, 0) + by_id[household_id].lacking(
                indicator, unit
            )
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
    for goal, population, total, reached, required in goal_counts:
        unit, indicator = goal.unit, goal.indicator
        done = sum(
            h.lacking(indicator, unit) for h in population if indicator in planned[h.household_id]
        )
        services.append(
            ServiceGap(
                goal.key,
                goal.title,
                indicator,
                unit,
                len(population),
                total,
                reached,
                required,
                done,
                reached + done,
                rate(reached + done, total) if total else 100.0,
            )
        )
    ordered = dict(sorted(units.items(), key=lambda item: load_actions().order(item[0])))
    counted = {i: counted_in.get(i, "households") for i in ordered}
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
        ordered,
        counted,
        {lang: budget_line(units, lang, counted) for lang in ("vi", "en")},
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
