"""Classify a household under a poverty standard.

``classify`` evaluates every indicator of the standard, then applies the standard's class
rules in order (the first that matches wins; none matching means ``not_poor``). Indicators that
could not be assessed make the result incomplete; the class is still given when no value of the
unknown indicators could change it, and is ``undetermined`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import orjson
from pydantic import ValidationError

from shared.errors import ErrorCode, Lang, RasoatError
from shared.household import Area, FieldError, Household
from shared.income import MEASURED, IncomeEstimate, IncomeEstimator
from shared.indicators import Context, Outcome, evaluate
from shared.reasons import render
from shared.standard import HouseholdClass, Indicator, Standard
from shared.standards import load_catalog


@dataclass(frozen=True, slots=True)
class Classification:
    """The engine's verdict on one household under one standard, with its reasons."""

    household_id: str
    area: Area
    standard: Standard
    household_class: HouseholdClass
    complete: bool
    income: IncomeEstimate | None
    outcomes: tuple[tuple[Indicator, Outcome], ...]
    deprived: tuple[str, ...]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    local: Classification | None = None

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
    rules = [
        (rule, within)
        for rule in standard.classes
        if (within := _income_within(estimate, rule.income_at_most, standard, area)) is not None
    ]
    possible: set[HouseholdClass] = set()
    for count in range(known, known + unknown + 1):
        verdict: HouseholdClass = "not_poor"
        for rule, within in rules:
            if within and count >= rule.min_deprivations:
                verdict = rule.household_class
                break
        possible.add(verdict)
        if len(possible) > 1:
            return "undetermined"
    return possible.pop()


def _classify_one(
    household: Household, standard: Standard, estimator: IncomeEstimator
) -> Classification:
    ctx = Context(household, standard.parameters)
    outcomes = tuple(
        (indicator, evaluate(indicator.rule, ctx)) for indicator in standard.indicators
    )
    deprived = tuple(ind.id for ind, outcome in outcomes if outcome.status == "deprived")
    unknown = tuple(ind.id for ind, outcome in outcomes if outcome.status == "unknown")
    estimate = estimator.estimate(household, standard)
    missing: list[str] = [] if estimate is not None else ["income"]
    for _, outcome in outcomes:
        missing.extend(outcome.missing)
    household_class = _resolve_class(
        standard, household.area, estimate, len(deprived), len(unknown)
    )
    return Classification(
        household.household_id,
        household.area,
        standard,
        household_class,
        estimate is not None and not unknown,
        estimate,
        outcomes,
        deprived,
        unknown,
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
    return replace(result, local=_classify_one(household, local, estimator))


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "(document)"


def _household_id(data: Any) -> str:
    if isinstance(data, str | bytes):
        try:
            data = orjson.loads(data)
        except orjson.JSONDecodeError:
            return "?"
    if isinstance(data, dict) and isinstance(data.get("household_id"), str):
        return str(data["household_id"])
    return "?"


def parse_household(data: str | bytes | dict[str, Any]) -> Household:
    """Return the household in ``data`` (JSON text or a decoded document).

    Raises RasoatError INVALID_JSON for text that is not JSON, and INVALID_HOUSEHOLD naming the
    household, the first invalid field and the problem otherwise.
    """
    try:
        if isinstance(data, dict):
            return Household.model_validate(data)
        return Household.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        if first["type"] == "json_invalid":
            raise RasoatError(ErrorCode.INVALID_JSON, problem=first["msg"]) from None
        cause = first.get("ctx", {}).get("error")
        # A cross-field check is reported on the model; it carries the field to blame itself.
        field = cause.path if isinstance(cause, FieldError) else _field_path(tuple(first["loc"]))
        raise RasoatError(
            ErrorCode.INVALID_HOUSEHOLD,
            household_id=_household_id(data),
            field=field,
            problem=first["msg"].removeprefix("Value error, "),
        ) from None
