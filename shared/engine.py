"""Classify a household under a poverty standard.

``classify`` evaluates every indicator of the standard, then applies the standard's class
rules in order (the first that matches wins; none matching means ``not_poor``). Indicators that
could not be assessed make the result incomplete; the class is still given when no value of the
unknown indicators could change it, and is ``undetermined`` otherwise.
"""

from __future__ import annotations

from typing import Any

import msgspec

from shared.errors import ErrorCode, Lang, RasoatError
from shared.household import Area, FieldError, Household, check_household
from shared.income import MEASURED, IncomeEstimate, IncomeEstimator
from shared.indicators import EVALUATORS, Context, Evaluator, Outcome
from shared.reasons import render
from shared.standard import HouseholdClass, Indicator, Standard
from shared.standards import load_catalog


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
        "missing",
        "outcomes",
        "standard",
        "unknown",
    )

    def __init__(
        self,
        household_id: str,
        area: Area,
        standard: Standard,
        household_class: HouseholdClass,
        complete: bool,
        income: IncomeEstimate | None,
        outcomes: tuple[tuple[Indicator, Outcome], ...],
        deprived: tuple[str, ...],
        unknown: tuple[str, ...],
        missing: tuple[str, ...],
        local: Classification | None = None,
    ) -> None:
        self.household_id = household_id
        self.area = area
        self.standard = standard
        self.household_class = household_class
        self.complete = complete
        self.income = income
        self.outcomes = outcomes
        self.deprived = deprived
        self.unknown = unknown
        self.missing = missing
        self.local = local

    @property
    def deprivation_count(self) -> int:
        """Return the number of indicators known to be deprived."""
        return len(self.deprived)

    @property
    def score_b(self) -> int:
        """Return Circular 07/2021's score B: points per deprived indicator."""
        return self.standard.score.points_per_deprivation * len(self.deprived)

    @property
    def income_line_vnd(self) -> int:
        """Return the standard's income line for the household's area."""
        return self.standard.thresholds[self.standard.income_line].for_area(self.area)

    def to_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """Return the result document of the ``rasoat.household/1`` contract, reasons in
        ``lang``."""
        result: dict[str, Any] = {
            "household_id": self.household_id,
            "standard": self.standard.id,
            "class": self.household_class,
            "complete": self.complete,
            "income_line_vnd": self.income_line_vnd,
            "income_per_capita_vnd": None if self.income is None else self.income.per_capita_vnd,
            "income_method": None if self.income is None else self.income.method,
            "deprivation_count": len(self.deprived),
            "score_b": self.score_b,
            "deprived": list(self.deprived),
            "unknown": list(self.unknown),
            "missing": list(self.missing),
            "indicators": {
                indicator.id: (
                    {"status": outcome.status, "reason": render(outcome.reason, lang)}
                    if not outcome.missing
                    else {
                        "status": outcome.status,
                        "reason": render(outcome.reason, lang),
                        "missing": list(outcome.missing),
                    }
                )
                for indicator, outcome in self.outcomes
            },
        }
        if self.income is not None and self.income.score_a is not None:
            result["score_a"] = self.income.score_a
        if self.standard.provisional:
            result["provisional"] = True
        if self.local is not None:
            local = self.local
            result["local"] = {
                "standard": local.standard.id,
                "province": local.standard.province,
                "class": local.household_class,
                "complete": local.complete,
                "income_line_vnd": local.income_line_vnd,
                "deprived": list(local.deprived),
            }
        return result


_PLANS: dict[int, tuple[Standard, tuple[tuple[Indicator, Evaluator], ...]]] = {}


def _plan(standard: Standard) -> tuple[tuple[Indicator, Evaluator], ...]:
    """Return the standard's indicators with their evaluators, looked up once per standard."""
    cached = _PLANS.get(id(standard))
    if cached is None or cached[0] is not standard:
        cached = (standard, tuple((ind, EVALUATORS[type(ind.rule)]) for ind in standard.indicators))
        _PLANS[id(standard)] = cached
    return cached[1]


def _income_within(
    estimate: IncomeEstimate, threshold: str, standard: Standard, area: Area
) -> bool | None:
    """Return whether the income is at or below a threshold; None if the method cannot tell."""
    if estimate.per_capita_vnd is not None:
        return estimate.per_capita_vnd <= standard.thresholds[threshold].for_area(area)
    if estimate.score_a is not None and threshold == standard.income_line:
        return estimate.score_a <= standard.score.score_a_line.for_area(area)
    return None


def _resolve_class(
    standard: Standard, area: Area, estimate: IncomeEstimate | None, known: int, unknown: int
) -> HouseholdClass:
    if estimate is None:
        return "undetermined"
    verdicts: set[HouseholdClass] = set()
    # Each possible number of deprivations, given the unknown indicators, gives one class;
    # the class stands only when every possibility agrees.
    for count in range(known, known + unknown + 1):
        verdict: HouseholdClass = "not_poor"
        for rule in standard.classes:
            within = _income_within(estimate, rule.income_at_most, standard, area)
            if within and count >= rule.min_deprivations:
                verdict = rule.household_class
                break
        verdicts.add(verdict)
        if len(verdicts) > 1:
            return "undetermined"
    return verdicts.pop()


def _classify_one(
    household: Household, standard: Standard, estimator: IncomeEstimator
) -> Classification:
    ctx = Context(household, standard.parameters)
    outcomes = []
    deprived = []
    unknown = []
    estimate = estimator.estimate(household, standard)
    missing: list[str] = [] if estimate is not None else ["income"]
    for indicator, evaluator in _plan(standard):
        outcome = evaluator(indicator.rule, ctx)
        outcomes.append((indicator, outcome))
        status = outcome.status
        if status == "deprived":
            deprived.append(indicator.id)
        elif status == "unknown":
            unknown.append(indicator.id)
            missing.extend(outcome.missing)
    return Classification(
        household.household_id,
        household.area,
        standard,
        _resolve_class(standard, household.area, estimate, len(deprived), len(unknown)),
        estimate is not None and not unknown,
        estimate,
        tuple(outcomes),
        tuple(deprived),
        tuple(unknown),
        tuple(missing),
    )


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
    chosen = standard or load_catalog().for_date(household.reference_date)
    result = _classify_one(household, chosen, estimator)
    if local is None:
        return result
    result.local = _classify_one(household, local, estimator)
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
