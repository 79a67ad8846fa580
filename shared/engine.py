"""Classify a household under a poverty standard.

``classify`` evaluates every indicator of the standard, then applies the standard's class
rules in order (the first that matches wins; none matching means ``not_poor``). Indicators that
could not be assessed make the result incomplete; the class is still given when no value of the
unknown indicators could change it, and is ``undetermined`` otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from shared.errors import ErrorCode, Lang, RasoatError
from shared.household import Area, Household, Member
from shared.income import MEASURED, IncomeEstimate, IncomeEstimator
from shared.indicators import EVALUATORS, Outcome, member_ages
from shared.people import citizen_id_problem
from shared.reasons import reason_json
from shared.standard import Indicator, Standard
from shared.standards import Catalog, load_catalog
from shared.vocabulary import HouseholdClass

ClassRules = tuple[tuple[int, int | None, int, HouseholdClass], ...]


class Plan:
    """A standard prepared for classifying many households.

    The indicators' evaluators, the class rules and the income lines are read out of the
    standard's models once per standard: per household they are then plain tuples, strings and
    ints. Reading an attribute of a Pydantic model costs several times a slot's, and a review
    reads them millions of times.
    """

    __slots__ = (
        "classes",
        "evaluators",
        "ids",
        "income_line",
        "indicators",
        "points_per_deprivation",
        "provisional",
        "standard",
        "standard_id",
    )

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        self.standard_id = standard.id
        self.provisional = standard.provisional
        self.indicators = tuple(standard.indicators)
        self.ids = tuple(indicator.id for indicator in standard.indicators)
        self.evaluators = tuple(
            EVALUATORS[type(indicator.rule)](indicator.rule, standard.parameters)
            for indicator in standard.indicators
        )
        self.points_per_deprivation = standard.score.points_per_deprivation
        line = standard.thresholds[standard.income_line]
        self.income_line: dict[Area, int] = {"rural": line.rural, "urban": line.urban}
        # Per area, each class rule as (income at most, score A at most, deprivations at
        # least, class). Score A (Circular 07/2021) can only say whether income is at or below
        # the income line, so rules on another threshold get no score-A limit.
        score_a_line = standard.score.score_a_line
        self.classes: dict[Area, ClassRules] = {
            area: tuple(
                (
                    standard.thresholds[rule.income_at_most].for_area(area),
                    score_a_line.for_area(area)
                    if rule.income_at_most == standard.income_line
                    else None,
                    rule.min_deprivations,
                    rule.household_class,
                )
                for rule in standard.classes
            )
            for area in ("rural", "urban")
        }


class Classification:
    """The engine's verdict on one household under one standard, with its reasons."""

    __slots__ = (
        "area",
        "complete",
        "deprived",
        "household_class",
        "household_id",
        "income",
        "local",
        "plan",
        "results",
        "unknown",
    )

    def __init__(
        self,
        household_id: str,
        area: Area,
        plan: Plan,
        household_class: HouseholdClass,
        income: IncomeEstimate | None,
        results: list[Outcome],
        deprived: tuple[str, ...],
        unknown: tuple[str, ...],
    ) -> None:
        self.household_id = household_id
        self.area = area
        self.plan = plan
        self.household_class = household_class
        self.complete = income is not None and not unknown
        self.income = income
        self.results = results
        self.deprived = deprived
        self.unknown = unknown
        self.local: Classification | None = None

    @property
    def standard(self) -> Standard:
        """Return the standard the household was classified under."""
        return self.plan.standard

    @property
    def outcomes(self) -> tuple[tuple[Indicator, Outcome], ...]:
        """Return each indicator of the standard with its outcome, in the standard's order."""
        return tuple(zip(self.plan.indicators, self.results, strict=True))

    @property
    def missing(self) -> tuple[str, ...]:
        """Return the fields that were not recorded and would settle the unknowns, each once
        (a birth date may settle several indicators), in the standard's order."""
        missing: dict[str, None] = {} if self.income is not None else {"income": None}
        for outcome in self.results:
            for field in outcome.missing:
                missing[field] = None
        return tuple(missing)

    @property
    def deprivation_count(self) -> int:
        """Return the number of indicators known to be deprived."""
        return len(self.deprived)

    @property
    def score_b(self) -> int:
        """Return Circular 07/2021's score B: points per deprived indicator."""
        return self.plan.points_per_deprivation * len(self.deprived)

    @property
    def income_line_vnd(self) -> int:
        """Return the standard's income line for the household's area."""
        return self.plan.income_line[self.area]

    def to_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """Return the result document of the ``rasoat.household/1`` contract, reasons in
        ``lang``."""
        ids = self.plan.ids
        results = self.results
        # Each outcome's entry is built once per language (indicators.Outcome): a shared
        # outcome's entry is shared by every result it appears in.
        return self._document(
            {
                ids[index]: results[index].entries.get(lang) or results[index].entry(lang)
                for index in range(len(ids))
            }
        )

    def facts(self) -> dict[str, Any]:
        """Return the result in no language, as JSON: the document of ``to_dict`` with each
        indicator's reason as its key, arguments and member facts (``shared.reasons``), so it
        is stored once and rendered when read (``shared.reasons.render_result``)."""
        indicators = {}
        for indicator, outcome in zip(self.plan.ids, self.results, strict=True):
            entry: dict[str, Any] = {
                "status": outcome.status,
                "reason": reason_json(outcome.reason),
            }
            if outcome.missing:
                entry["missing"] = list(outcome.missing)
            indicators[indicator] = entry
        return self._document(indicators)

    def _document(self, indicators: dict[str, Any]) -> dict[str, Any]:
        """Return the result document around the indicators' entries."""
        income = self.income
        deprived = self.deprived
        plan = self.plan
        result: dict[str, Any] = {
            "household_id": self.household_id,
            "standard": plan.standard_id,
            "class": self.household_class,
            "complete": self.complete,
            "income_line_vnd": plan.income_line[self.area],
            "income_per_capita_vnd": None if income is None else income.per_capita_vnd,
            "income_method": None if income is None else income.method,
            "deprivation_count": len(deprived),
            "score_b": plan.points_per_deprivation * len(deprived),
            "deprived": list(deprived),
            "unknown": list(self.unknown),
            "missing": list(self.missing) if self.unknown or income is None else [],
            "indicators": indicators,
        }
        if income is not None and income.score_a is not None:
            result["score_a"] = income.score_a
            # A household classified by score shows the points of each item that counted.
            result["score_a_items"] = dict(income.score_items)
            if income.score_a_line is not None:
                result["score_a_line"] = income.score_a_line
        if plan.provisional:
            result["provisional"] = True
        if self.local is not None:
            local = self.local
            result["local"] = {
                "standard": local.plan.standard_id,
                "province": local.standard.province,
                "class": local.household_class,
                "complete": local.complete,
                "income_line_vnd": local.income_line_vnd,
                "deprived": list(local.deprived),
            }
        return result


_PLANS: dict[int, Plan] = {}


def _plan(standard: Standard) -> Plan:
    """Return the standard's plan, prepared once per standard."""
    plan = _PLANS.get(id(standard))
    if plan is None or plan.standard is not standard:
        if len(_PLANS) >= 64:
            # Local standards may be parsed anew per request; keep only recent plans.
            _PLANS.clear()
        plan = _PLANS[id(standard)] = Plan(standard)
    return plan


def _class_for(rules: ClassRules, estimate: IncomeEstimate, deprivations: int) -> HouseholdClass:
    """Return the class of the first rule the income and number of deprivations meet."""
    per_capita = estimate.per_capita_vnd
    if per_capita is not None:
        for income_at_most, _, at_least, household_class in rules:
            if per_capita <= income_at_most and deprivations >= at_least:
                return household_class
        return "not_poor"
    score_a = estimate.score_a
    if score_a is not None:
        # A score table may set its own line (the official Phiếu B1 thresholds); it replaces
        # the standard's wherever the standard's applies.
        own_line = estimate.score_a_line
        for _, score_a_at_most, at_least, household_class in rules:
            if score_a_at_most is not None and own_line is not None:
                score_a_at_most = own_line
            if (
                score_a_at_most is not None
                and score_a <= score_a_at_most
                and deprivations >= at_least
            ):
                return household_class
    return "not_poor"


def _resolve_class(
    rules: ClassRules, estimate: IncomeEstimate | None, known: int, unknown: int
) -> HouseholdClass:
    if estimate is None:
        return "undetermined"
    verdict = _class_for(rules, estimate, known)
    # Each possible number of deprivations, given the unknown indicators, gives one class;
    # the class stands only when every possibility agrees.
    for count in range(known + 1, known + unknown + 1):
        if _class_for(rules, estimate, count) != verdict:
            return "undetermined"
    return verdict


def _classify_one(household: Household, plan: Plan, estimator: IncomeEstimator) -> Classification:
    ages = member_ages(household)
    results = [evaluate(household, ages) for evaluate in plan.evaluators]
    deprived: list[str] = []
    unknown: list[str] = []
    ids = plan.ids
    # Indexed rather than zip(): compiled, this is a plain loop, while zip(strict=True) is a
    # call into the interpreter's builtin and an iterator step per indicator.
    for index in range(len(ids)):
        status = results[index].status
        if status == "deprived":
            deprived.append(ids[index])
        elif status == "unknown":
            unknown.append(ids[index])
    estimate = estimator.estimate(household, plan.standard)
    area = household.area
    return Classification(
        household.household_id,
        area,
        plan,
        _resolve_class(plan.classes[area], estimate, len(deprived), len(unknown)),
        estimate,
        results,
        tuple(deprived),
        tuple(unknown),
    )


def class_from_counts(
    standard: Standard,
    area: Area,
    income_per_capita_vnd: int | None,
    deprived: int,
    unknown: int = 0,
) -> HouseholdClass:
    """Return the class ``standard``'s rules give a household of ``area`` with this measured
    monthly income per person and these numbers of known-deprived and unknown indicators,
    resolved as ``classify`` resolves them. For what stored results alone can answer (a
    commune's what-if), where the household's facts are not at hand."""
    estimate = (
        None
        if income_per_capita_vnd is None
        else IncomeEstimate("monthly_per_capita", income_per_capita_vnd)
    )
    return _resolve_class(_plan(standard).classes[area], estimate, deprived, unknown)


class _PlansInForce:
    """The plan of the national standard in force, by day, for the catalog it came from.

    Looked up once per day: searching the catalog's periods per household costs more than
    classifying some of its indicators.
    """

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.by_day: dict[date, Plan] = {}

    def __call__(self, day: date) -> Plan:
        catalog = load_catalog()
        if catalog is not self.catalog or len(self.by_day) >= 100_000:
            self.catalog, self.by_day = catalog, {}
        plan = self.by_day.get(day)
        if plan is None:
            plan = self.by_day[day] = _plan(catalog.for_date(day))
        return plan


_in_force = _PlansInForce()


def classify(
    household: Household,
    *,
    standard: Standard | None = None,
    local: Standard | None = None,
    income_estimator: IncomeEstimator | None = None,
) -> Classification:
    """Return the household's classification.

    The standard is the one in force on the household's reference date unless ``standard``
    names one. With ``local`` (a province's standard layered on the national one) the local
    classification is attached beside the national one. The income comes from the household's
    recorded income unless another ``income_estimator`` (a score-A table) is given.
    """
    estimator = income_estimator or MEASURED
    plan = _in_force(household.reference_date) if standard is None else _plan(standard)
    result = _classify_one(household, plan, estimator)
    if local is not None:
        result.local = _classify_one(household, _plan(local), estimator)
    return result


_DECODER = msgspec.json.Decoder(Household)


def _household_id(data: Any) -> str:
    if isinstance(data, str | bytes):
        try:
            data = msgspec.json.decode(data)
        except msgspec.DecodeError:
            return "?"
    if isinstance(data, dict) and isinstance(data.get("household_id"), str):
        return str(data["household_id"])
    return "?"


def _blame(message: str) -> tuple[str, str]:
    """Return the field path and the problem from a msgspec validation message."""
    problem, _, where = message.rpartition(" - at `")
    if not problem:
        problem, where = message, ""
    path = where.rstrip("`").removeprefix("$").removeprefix(".")
    for prefix in ("Object contains unknown field `", "Object missing required field `"):
        # Problems at the document's root come without a location.
        if problem.startswith(prefix):
            name = problem[len(prefix) :].split("`", 1)[0]
            path = f"{path}.{name}" if path else name
            problem = "unknown field" if "unknown" in prefix else "required field is missing"
    return path or "(document)", problem


class FieldError(ValueError):
    """A cross-field check that failed, with the path of the field to blame."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(problem)
        self.path = path


def _check_citizen_id(member: Member, index: int, on: date, seen: set[str]) -> None:
    number = member.citizen_id
    path = f"members[{index}]"
    if number is not None:
        born = member.birth_date
        birth_year = born.year if born is not None else member.birth_year
        problem = citizen_id_problem(number, member.sex, birth_year)
        if problem is not None:
            raise FieldError(f"{path}.citizen_id", problem)
        if number in seen:
            raise FieldError(f"{path}.citizen_id", "another member has the same number")
        seen.add(number)
    issued = member.citizen_id_issued_on
    if issued is not None:
        if number is None:
            raise FieldError(f"{path}.citizen_id_issued_on", "issued without a number")
        if issued > on:
            raise FieldError(
                f"{path}.citizen_id_issued_on", f"issued after the reference date {on.isoformat()}"
            )


def check_household(household: Household) -> None:
    """Raise FieldError for what the types cannot say: one income form, unique member ids,
    one birth field per member, nobody born after the reference date, a citizen identity
    number of the right structure (shared.people) given once in the household and issued by
    the reference date."""
    income = household.income
    if income is not None and (income.monthly_per_capita_vnd is None) == (
        income.annual_total_vnd is None
    ):
        raise FieldError("income", "give exactly one of monthly_per_capita_vnd or annual_total_vnd")
    on = household.reference_date
    seen: set[str] = set()
    seen_ids: set[str] = set()
    for index, member in enumerate(household.members):
        # Paths are formatted only for a problem: this runs before every classification.
        member_id = member.member_id
        if member_id in seen:
            raise FieldError(f"members[{index}].member_id", f"{member_id!r} appears twice")
        seen.add(member_id)
        born = member.birth_date
        if born is not None:
            if member.birth_year is not None:
                raise FieldError(
                    f"members[{index}].birth_year", "give birth_date or birth_year, not both"
                )
            if born > on:
                raise FieldError(
                    f"members[{index}].birth_date",
                    f"born after the reference date {on.isoformat()}",
                )
        elif member.birth_year is not None and member.birth_year > on.year:
            raise FieldError(
                f"members[{index}].birth_year", f"born after the reference date {on.isoformat()}"
            )
        if member.citizen_id is not None or member.citizen_id_issued_on is not None:
            _check_citizen_id(member, index, on, seen_ids)


def parse_household(data: str | bytes | dict[str, Any]) -> Household:
    """Return the household in ``data`` (JSON text or a decoded document).

    Raises RasoatError INVALID_JSON for text that is not JSON, and INVALID_HOUSEHOLD naming the
    household, the first invalid field and the problem otherwise.
    """
    try:
        household = (
            msgspec.convert(data, Household) if isinstance(data, dict) else _DECODER.decode(data)
        )
        check_household(household)
    except msgspec.ValidationError as exc:
        field, problem = _blame(str(exc))
        raise RasoatError(
            ErrorCode.INVALID_HOUSEHOLD,
            household_id=_household_id(data),
            field=field,
            problem=problem,
        ) from None
    except FieldError as exc:
        raise RasoatError(
            ErrorCode.INVALID_HOUSEHOLD,
            household_id=household.household_id,
            field=exc.path,
            problem=str(exc),
        ) from None
    except msgspec.DecodeError as exc:
        raise RasoatError(ErrorCode.INVALID_JSON, problem=str(exc)) from None
    return household
