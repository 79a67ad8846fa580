"""How the engine knows a household's income: measured, annual total, or estimated.

The default is the income the enumerator recorded. Circular 07/2021 also lets a province
estimate income from household characteristics with a points table ("score A", in
``shared.score_a``): any ``IncomeEstimator`` can stand in for the measured income.
"""

from __future__ import annotations

from typing import Literal, Protocol

from shared.household import Household
from shared.standard import Standard

Method = Literal["monthly_per_capita", "annual_total", "score_a"]


class IncomeEstimate:
    """The household's income as far as it is known: per person per month, or a score A with
    the points of each item that counted and, when the score table sets its own, the score
    at or below which income is at or below the line."""

    __slots__ = ("method", "per_capita_vnd", "score_a", "score_a_line", "score_items")

    def __init__(
        self,
        method: Method,
        per_capita_vnd: int | None,
        score_a: int | None = None,
        score_items: tuple[tuple[str, int], ...] = (),
        score_a_line: int | None = None,
    ) -> None:
        self.method: Method = method
        self.per_capita_vnd = per_capita_vnd
        self.score_a = score_a
        self.score_items = score_items
        self.score_a_line = score_a_line


class IncomeEstimator(Protocol):
    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the household's income estimate, or None when it was not recorded."""
        ...


class MeasuredIncome:
    """The recorded income: monthly per person, or the annual total divided by members and
    twelve, rounded down to whole dong."""

    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the measured income per person per month, or None if not recorded."""
        income = household.income
        if income is None:
            return None
        if income.monthly_per_capita_vnd is not None:
            return IncomeEstimate("monthly_per_capita", income.monthly_per_capita_vnd)
        assert income.annual_total_vnd is not None
        return IncomeEstimate(
            "annual_total", income.annual_total_vnd // (len(household.members) * 12)
        )


MEASURED = MeasuredIncome()
