"""The review's small rules: the hamlet vote, the income tests of
the application-based procedures, and the shape of a question path a comment points at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from shared.errors import ErrorCode, RasoatError
from shared.vocabulary import ON_LISTS

# A written reason for overriding the engine's class: a sentence, not a tick.
MIN_REASON_LENGTH: Final = 10


def vote_passes(agree: int, attendees: int) -> bool:
    """Return True when at least half the attendees agree (Decision 24/2021/QĐ-TTg, Art.
    4(3)); raise IMPOSSIBLE_VOTE for counts that cannot be."""
    if attendees < 1 or agree < 0 or agree > attendees:
        raise RasoatError(ErrorCode.IMPOSSIBLE_VOTE, agree=agree, attendees=attendees)
    return 2 * agree >= attendees


@dataclass(frozen=True)
class IncomeTest:
    """The income test of an application: 12 months' income without social allowances, per
    person per month, against the thresholds of the standard in force."""

    income_per_capita_vnd: int
    line_vnd: int
    ceiling_vnd: int
    eligible: bool


def monthly_income_per_capita(income_12_months_vnd: int, allowances_vnd: int, members: int) -> int:
    """Return the income per person per month over the last 12 months, social allowances
    left out (Decree 07/2021/NĐ-CP, Art. 3(4))."""
    if members < 1 or income_12_months_vnd < 0 or allowances_vnd < 0:
        raise RasoatError(ErrorCode.IMPOSSIBLE_INCOME)
    return max(income_12_months_vnd - allowances_vnd, 0) // (12 * members)


def average_living_test(per_capita_vnd: int, line_vnd: int, ceiling_vnd: int) -> IncomeTest:
    """Return the test of an average-living-standard household: above the poverty line, at
    most the average ceiling."""
    eligible = line_vnd < per_capita_vnd <= ceiling_vnd
    return IncomeTest(per_capita_vnd, line_vnd, ceiling_vnd, eligible)


def low_income_worker_test(
    per_capita_vnd: int, line_vnd: int, ceiling_vnd: int, household_class: str | None
) -> IncomeTest:
    """Return the test of a low-income worker (Decree 30/2025/NĐ-CP): a member of a household
    not on the poor or near-poor lists whose income per person is at most the ceiling."""
    eligible = household_class not in ON_LISTS and per_capita_vnd <= ceiling_vnd
    return IncomeTest(per_capita_vnd, line_vnd, ceiling_vnd, eligible)


_PATH = re.compile(r"^[a-z][a-z0-9_]*(\[\d{1,3}\]\.[a-z][a-z0-9_]*)*$")


def question_ids(path: str) -> list[str]:
    """Return the question ids along a comment's question path (``members[2].employment`` →
    ``members``, ``employment``); raise INVALID_QUESTION_PATH for anything else."""
    if len(path) > 120 or not _PATH.match(path):
        raise RasoatError(ErrorCode.INVALID_QUESTION_PATH, path=path[:120])
    return [re.sub(r"\[\d+\]$", "", part) for part in path.split(".")]
