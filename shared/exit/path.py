"""A household's exit path: the smallest set of changes that takes it off the poor list, and
off the lists altogether, under the standard that applies.

Under the class rules (Decree 07/2021 Art. 3; Decree 351/2025) a poor household has income at
or below the line and at least three deprivations. So:

- **to near-poor** it must resolve enough deprivations to fall below three, whatever its
  income: the path names which, the lowest tiers of ``actions.yaml`` first (a latrine before
  an adult's schooling). Indicators of one tier are interchangeable, so when the last one
  needed could be any of several, every choice is a path of its own (a tie).
- **off the lists** (average or not poor) only its income counts: above the line a household
  is never poor nor near-poor, however deprived. The path is the income gap, the smallest whole
  number of dong per person and month that lifts income above the line, and the same per
  household.

An indicator not yet recorded counts as possibly deprived (as the engine resolves classes), so a
poor household with unknowns must resolve that many more. Paths are computed from the class
rules and then checked by the engine itself: each path's changes are applied to the household's
facts and the household is classified again; the class the engine gives is the class promised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

import msgspec

from shared.engine import Classification, class_from_counts, classify
from shared.errors import Lang
from shared.exit.actions import Actions, load_actions
from shared.household import Household, Income
from shared.indicators import Outcome, member_ages
from shared.standard import (
    AdultEducation,
    ChildNutrition,
    ChildSchooling,
    FloorAreaPerMember,
    HouseholdChoice,
    HousingMaterials,
    InformationAccess,
    MemberUsesInternet,
    Rule,
    Standard,
    Telecom,
    UninsuredMember,
    WorkingAgeEmployment,
)
from shared.vocabulary import CLASS_LABELS, ON_LISTS, HouseholdClass

Target = Literal["near_poor", "off_lists"]
Fix = Callable[[Household], Household]


@dataclass(frozen=True)
class Step:
    """One deprivation to resolve: ``units`` of help (cards, people; 1 for a household-level
    indicator; None when only stored results were at hand, meaning at least one) and the
    engine's outcome that says why the household is deprived (None likewise)."""

    indicator: str
    tier: int
    units: int | None
    outcome: Outcome | None = None
    # The change of facts that resolves it, as the engine confirmed (None from stored results).
    fix: Fix | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Path:
    """Changes that take the household to ``reaches`` (the engine's class after them)."""

    target: Target
    reaches: HouseholdClass
    steps: tuple[Step, ...] = ()
    income_gap_per_capita_vnd: int = 0
    income_gap_household_vnd: int | None = 0
    # The household's facts after the changes (None from stored results).
    changed: Household | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ExitPaths:
    """A household's ways off the lists: the tied minimal paths to near-poor (poor households
    only) and the income path off the lists. ``blocked`` says why a path the class calls for
    is missing: ``undetermined`` (facts missing, named in ``missing``), ``not_actionable``
    (too few deprivations any help resolves), ``income_not_measured``."""

    household_id: str
    standard: Standard
    household_class: HouseholdClass
    income_line_vnd: int
    income_per_capita_vnd: int | None
    to_near_poor: tuple[Path, ...]
    off_lists: Path | None
    blocked: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def to_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """Return the exit paths as a document, every path and step explained in ``lang``."""
        return {
            "household_id": self.household_id,
            "standard": self.standard.id,
            "class": self.household_class,
            "income_line_vnd": self.income_line_vnd,
            "income_per_capita_vnd": self.income_per_capita_vnd,
            "to_near_poor": [_path_dict(self, path, lang) for path in self.to_near_poor],
            "off_lists": None if self.off_lists is None else _path_dict(self, self.off_lists, lang),
            "blocked": list(self.blocked),
            "missing": list(self.missing),
            "summary": summary(self, lang),
        }


def steps_needed(standard: Standard, deprived: int, unknown: int) -> int:
    """Return how many deprivations a poor household must resolve to be near-poor: known plus
    unknown ones must fall below the poor rule's minimum."""
    poor = next(rule for rule in standard.classes if rule.household_class == "poor")
    return max(deprived + unknown - (poor.min_deprivations - 1), 0)


def choose(
    deprived: Sequence[str], needed: int, actionable: set[str], actions: Actions
) -> tuple[tuple[str, ...], ...]:
    """Return every minimal choice of ``needed`` indicators among the ``actionable`` deprived
    ones: the lowest tiers first; when the last tier used offers more than needed, each
    choice among it is a tied path. Empty when too few are actionable."""
    ranked = sorted((i for i in deprived if i in actionable), key=actions.order)
    if needed == 0:
        return ((),)
    if len(ranked) < needed:
        return ()
    tier = actions.rank(ranked[needed - 1])
    fixed = [i for i in ranked if (actions.rank(i) or 0) < (tier or 0)]
    boundary = [i for i in ranked if actions.rank(i) == tier]
    return tuple(
        tuple(sorted((*fixed, *choice), key=actions.order))
        for choice in combinations(boundary, needed - len(fixed))
    )


def _with_members(household: Household, ids: set[str], **changes: object) -> Household:
    members = [
        msgspec.structs.replace(member, **changes) if member.member_id in ids else member
        for member in household.members
    ]
    return msgspec.structs.replace(household, members=members)


def _fact_ids(outcome: Outcome) -> set[str]:
    return {fact.member_id for fact in outcome.reason.facts}


def _candidates(rule: Rule, household: Household, outcome: Outcome) -> list[Fix]:
    """Return the changes of facts that could resolve the indicator, most plausible first;
    the caller keeps the first the engine accepts."""
    ids = _fact_ids(outcome)
    if isinstance(rule, UninsuredMember):
        return [lambda h: _with_members(h, ids, health_insurance=True)]
    if isinstance(rule, ChildNutrition):
        return [lambda h: _with_members(h, ids, stunted=False, underweight=False)]
    if isinstance(rule, AdultEducation):
        return [lambda h: _with_members(h, ids, in_school=True)]
    if isinstance(rule, WorkingAgeEmployment):
        return [
            lambda h, status=status: _with_members(h, ids, employment=status)  # type: ignore[misc]
            for status in ("wage_with_contract", "self_employed")
            if status not in rule.deprived_statuses
        ]
    if isinstance(rule, HouseholdChoice):
        field = rule.field
        return [lambda h: msgspec.structs.replace(h, **{field: rule.acceptable[0]})]
    if isinstance(rule, HousingMaterials):
        durable = rule.durable

        def rebuild(h: Household) -> Household:
            housing = h.housing
            assert housing is not None
            parts = {
                "walls": housing.walls if housing.walls in durable.walls else durable.walls[0],
                "frame": housing.frame if housing.frame in durable.frame else durable.frame[0],
                "roof": housing.roof if housing.roof in durable.roof else durable.roof[0],
            }
            return msgspec.structs.replace(h, housing=msgspec.structs.replace(housing, **parts))

        return [rebuild] if household.housing is not None else []
    if isinstance(rule, FloorAreaPerMember):

        def extend(h: Household) -> Household:
            assert h.housing is not None
            area = float(rule.min_m2 * len(h.members))
            return msgspec.structs.replace(
                h, housing=msgspec.structs.replace(h.housing, floor_area_m2=area)
            )

        return [extend] if household.housing is not None else []
    if isinstance(rule, Telecom | MemberUsesInternet):
        first = {household.members[0].member_id}
        if isinstance(rule, Telecom):
            return [lambda h: _with_members(h, first, phone_subscription=True)]
        return [lambda h: _with_members(h, first, uses_internet=True)]
    if isinstance(rule, InformationAccess):
        device = "radio" if "radio" in rule.devices else rule.devices[0]
        return [
            lambda h: msgspec.structs.replace(
                h, information_devices=[*(h.information_devices or []), device]
            )
        ]
    if isinstance(rule, ChildSchooling):
        return _schooling_candidates(rule, household, ids)
    return []


def _schooling_candidates(rule: ChildSchooling, household: Household, ids: set[str]) -> list[Fix]:
    # Each child needs the level of their own age: one candidate per level, lowest first,
    # and the check keeps the first that settles every child named.
    levels = sorted(rule.level_rank, key=lambda level: rule.level_rank[level])
    return [
        lambda h, level=level: _with_members(h, ids, in_school=True, school_level=level)  # type: ignore[misc]
        for level in levels
    ]


def _fixes(result: Classification, household: Household) -> dict[str, tuple[Fix, int]]:
    """Return, per deprived indicator some help resolves, the change of facts the engine
    confirms resolves it (its own evaluator, run on the changed household) and the units of
    help it takes."""
    actions = load_actions()
    plan = result.plan
    found: dict[str, tuple[Fix, int]] = {}
    for index, indicator in enumerate(plan.indicators):
        outcome = result.results[index]
        if outcome.status != "deprived" or actions.rank(indicator.id) is None:
            continue
        for fix in _candidates(indicator.rule, household, outcome):
            changed = fix(household)
            if plan.evaluators[index](changed, member_ages(changed)).status == "not_deprived":
                per = actions.actions[indicator.id].per
                units = len(_fact_ids(outcome)) if per == "member" else 1
                found[indicator.id] = (fix, max(units, 1))
                break
    return found


def apply(household: Household, steps: Sequence[Step]) -> Household:
    """Return the household with the changes of facts of ``steps`` made (steps from stored
    results carry none and change nothing)."""
    for step in steps:
        if step.fix is not None:
            household = step.fix(household)
    return household


def _income_changed(household: Household, per_capita: int) -> Household:
    return msgspec.structs.replace(household, income=Income(monthly_per_capita_vnd=per_capita))


def _assemble(
    household_class: HouseholdClass,
    find_near_poor: Callable[[], list[Path]],
    find_off_lists: Callable[[], Path | None],
) -> tuple[tuple[Path, ...], Path | None, tuple[str, ...]]:
    """Return the paths the class calls for (to near-poor for a poor household, off the lists
    for one on them) and why any is missing."""
    blocked: list[str] = []
    to_near_poor: list[Path] = []
    off_lists: Path | None = None
    if household_class == "undetermined":
        blocked.append("undetermined")
    elif household_class in ON_LISTS:
        if household_class == "poor":
            to_near_poor = find_near_poor()
            if not to_near_poor:
                blocked.append("not_actionable")
        off_lists = find_off_lists()
        if off_lists is None:
            blocked.append("income_not_measured")
    return tuple(to_near_poor), off_lists, tuple(blocked)


def exit_paths(household: Household, *, standard: Standard | None = None) -> ExitPaths:
    """Return the household's exit paths under ``standard`` (by default the one in force on its
    reference date), each checked by classifying the changed household with the engine."""
    result = classify(household, standard=standard)
    plan = result.plan
    used = plan.standard
    line = result.income_line_vnd
    income = result.income

    def near_poor() -> list[Path]:
        actions = load_actions()
        fixes = _fixes(result, household)
        needed = steps_needed(used, len(result.deprived), len(result.unknown))
        outcomes = dict(zip(plan.ids, result.results, strict=True))
        found = []
        for choice in choose(result.deprived, needed, set(fixes), actions):
            steps = tuple(
                Step(i, actions.rank(i) or 0, fixes[i][1], outcomes[i], fixes[i][0]) for i in choice
            )
            changed = apply(household, steps)
            reaches = classify(changed, standard=used).household_class
            if reaches == "near_poor":
                found.append(Path("near_poor", reaches, steps, changed=changed))
        return found

    def off_lists() -> Path | None:
        if income is None or income.per_capita_vnd is None or income.method == "score_a":
            return None
        gap = line + 1 - income.per_capita_vnd
        raised = _income_changed(household, line + 1)
        reaches = classify(raised, standard=used).household_class
        return Path("off_lists", reaches, (), gap, gap * len(household.members), raised)

    household_class = result.household_class
    to_near_poor, to_off_lists, blocked = _assemble(household_class, near_poor, off_lists)
    return ExitPaths(
        household.household_id,
        used,
        household_class,
        line,
        None if income is None else income.per_capita_vnd,
        to_near_poor,
        to_off_lists,
        blocked,
        result.missing if household_class == "undetermined" else (),
    )


def paths_from_result(
    standard: Standard,
    household_id: str,
    area: Literal["rural", "urban"],
    household_class: HouseholdClass,
    income_per_capita_vnd: int | None,
    deprived: Sequence[str],
    unknown: int = 0,
    members: int | None = None,
) -> ExitPaths:
    """Return the exit paths a stored classification result allows when the household's facts
    are not at hand (a commune's gap): the same choice of indicators and income gap, the class
    reached given by the standard's rules (``shared.engine.class_from_counts``); units of
    member-level help are unknown (None)."""
    line = standard.thresholds[standard.income_line].for_area(area)

    def near_poor() -> list[Path]:
        actions = load_actions()
        actionable = {i for i in deprived if actions.rank(i) is not None}
        needed = steps_needed(standard, len(deprived), unknown)
        found = []
        for choice in choose(deprived, needed, actionable, actions):
            left = len(deprived) - len(choice)
            reaches = class_from_counts(standard, area, income_per_capita_vnd, left, unknown)
            if reaches == "near_poor":
                steps = tuple(
                    Step(
                        i,
                        actions.rank(i) or 0,
                        1 if actions.actions[i].per == "household" else None,
                    )
                    for i in choice
                )
                found.append(Path("near_poor", reaches, steps))
        return found

    def off_lists() -> Path | None:
        if income_per_capita_vnd is None:
            return None
        gap = line + 1 - income_per_capita_vnd
        reaches = class_from_counts(standard, area, line + 1, len(deprived), unknown)
        return Path("off_lists", reaches, (), gap, None if members is None else gap * members)

    to_near_poor, to_off_lists, blocked = _assemble(household_class, near_poor, off_lists)
    return ExitPaths(
        household_id,
        standard,
        household_class,
        line,
        income_per_capita_vnd,
        to_near_poor,
        to_off_lists,
        blocked,
    )


def vnd(amount: int, lang: Lang) -> str:
    """Return an amount of dong as people write it: 1.500.001 đồng, 1,500,001 VND."""
    if lang == "vi":
        return f"{amount:,} đồng".replace(",", ".")
    return f"{amount:,} VND"


TEXTS: dict[str, dict[Lang, str]] = {
    "to_near_poor": {
        "vi": "Để thoát nghèo (thành hộ cận nghèo): giải quyết {count} thiếu hụt: {actions}",
        "en": "To leave poverty (become near-poor): resolve {count} deprivation(s): {actions}",
    },
    "off_lists": {
        "vi": "Để ra khỏi danh sách hộ nghèo, cận nghèo ({reaches}): thu nhập tăng thêm {gap}"
        "/người/tháng ({household}/hộ/tháng), lên trên chuẩn {line}",
        "en": "To leave the poor and near-poor lists ({reaches}): income up by {gap} per person "
        "a month ({household} per household), above the line of {line}",
    },
    "step": {"vi": "{action} ({units} {unit})", "en": "{action} ({units} {unit})"},
    "nothing": {
        "vi": "Hộ không thuộc danh sách hộ nghèo, cận nghèo",
        "en": "The household is on neither the poor nor the near-poor list",
    },
    "undetermined": {
        "vi": "Chưa xác định được con đường thoát nghèo: thiếu thông tin {missing}",
        "en": "No exit path yet: missing {missing}",
    },
    "not_actionable": {
        "vi": "Không đủ thiếu hụt mà hỗ trợ giải quyết được để thành hộ cận nghèo",
        "en": "Too few deprivations any help resolves to become near-poor",
    },
    "income_not_measured": {
        "vi": "Thu nhập không được đo trực tiếp nên chưa tính được khoảng cách thu nhập",
        "en": "Income was not measured, so the income gap cannot be computed",
    },
    "or": {"vi": " hoặc ", "en": " or "},
}


def _step_text(step: Step, lang: Lang) -> str:
    action = load_actions().actions[step.indicator]
    units = "≥ 1" if step.units is None else str(step.units)
    return TEXTS["step"][lang].format(
        action=action.action[lang], units=units, unit=action.unit[lang]
    )


def _path_text(paths: ExitPaths, path: Path, lang: Lang) -> str:
    if path.target == "near_poor":
        return TEXTS["to_near_poor"][lang].format(
            count=len(path.steps), actions="; ".join(_step_text(s, lang) for s in path.steps)
        )
    household = (
        "?" if path.income_gap_household_vnd is None else vnd(path.income_gap_household_vnd, lang)
    )
    return TEXTS["off_lists"][lang].format(
        reaches=CLASS_LABELS[path.reaches][lang].lower(),
        gap=vnd(path.income_gap_per_capita_vnd, lang),
        household=household,
        line=vnd(paths.income_line_vnd, lang),
    )


def _path_dict(paths: ExitPaths, path: Path, lang: Lang) -> dict[str, Any]:
    actions = load_actions()
    titles = {indicator.id: indicator.title[lang] for indicator in paths.standard.indicators}
    found: dict[str, Any] = {"target": path.target, "reaches": path.reaches}
    if path.target == "near_poor":
        found["steps"] = [
            {
                "indicator": step.indicator,
                "title": titles[step.indicator],
                "tier": step.tier,
                "units": step.units,
                "unit": actions.actions[step.indicator].unit[lang],
                "action": actions.actions[step.indicator].action[lang],
                "by": actions.actions[step.indicator].by[lang],
                "why_this_order": actions.actions[step.indicator].reason[lang],
                "now": None if step.outcome is None else step.outcome.text(lang),
            }
            for step in path.steps
        ]
    else:
        found["income_gap_per_capita_vnd"] = path.income_gap_per_capita_vnd
        found["income_gap_household_vnd"] = path.income_gap_household_vnd
    found["text"] = _path_text(paths, path, lang)
    return found


def summary(paths: ExitPaths, lang: Lang = "vi") -> str:
    """Return the exit paths as sentences in ``lang``: tied paths joined by "or"."""
    if "undetermined" in paths.blocked:
        return TEXTS["undetermined"][lang].format(missing=", ".join(paths.missing))
    if paths.household_class not in ON_LISTS:
        return TEXTS["nothing"][lang]
    parts: list[str] = []
    if paths.to_near_poor:
        parts.append(TEXTS["or"][lang].join(_path_text(paths, p, lang) for p in paths.to_near_poor))
    parts.extend(TEXTS[reason][lang] for reason in paths.blocked)
    if paths.off_lists is not None:
        parts.append(_path_text(paths, paths.off_lists, lang))
    return ". ".join(parts) + "."
