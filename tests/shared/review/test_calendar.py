"""Working days: weekends, public holidays (lunar dates precomputed) and swapped days."""

from __future__ import annotations

from datetime import date

import pytest

from shared.errors import ErrorCode, RasoatError
from shared.review.calendar import WorkingCalendar, holiday_year, years_on_file
from shared.review.procedures import ProcedureKind, procedure

CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("first", "count", "last"),
    [
        (date(2023, 11, 30), 3, date(2023, 12, 4)),  # Thursday over a weekend
        (date(2023, 8, 31), 3, date(2023, 9, 6)),  # National Day 1 and 4 September off
        (date(2025, 1, 24), 3, date(2025, 2, 4)),  # Tết Ất Tỵ
        (date(2024, 5, 3), 2, date(2024, 5, 4)),  # Saturday 4 May 2024 was worked
        (date(2023, 12, 2), 1, date(2023, 12, 4)),  # a posting put up on a Saturday
    ],
)
def test_working_days_from(first: date, count: int, last: date) -> None:
    assert CALENDAR.working_days_from(first, count) == last


def test_recheck_is_due_working_days_after_the_complaint() -> None:
    assert CALENDAR.working_days_after(date(2023, 12, 1), 3) == date(2023, 12, 6)


def test_tet_and_hung_kings_are_holidays() -> None:
    assert not CALENDAR.is_working_day(date(2024, 2, 12))
    assert not CALENDAR.is_working_day(date(2025, 4, 7))
    assert CALENDAR.working_days_between(date(2025, 1, 27), date(2025, 2, 7)) == 5


def test_every_year_file_is_valid() -> None:
    for year in years_on_file():
        assert holiday_year(year).year == year


def test_a_year_without_a_file_is_refused() -> None:
    with pytest.raises(RasoatError) as raised:
        CALENDAR.is_working_day(date(2031, 3, 3))
    assert raised.value.code is ErrorCode.NO_CALENDAR


def test_a_year_without_a_file_takes_the_computed_holidays() -> None:
    computed = WorkingCalendar(computed=lambda year: frozenset({date(year, 3, 3)}))
    assert not computed.is_working_day(date(2031, 3, 3))  # a Monday
    assert computed.working_days_from(date(2031, 3, 3), 1) == date(2031, 3, 4)


def test_a_year_file_replaces_the_computed_holidays() -> None:
    computed = WorkingCalendar(computed=lambda year: frozenset({date(year, 3, 3)}))
    assert computed.is_working_day(date(2025, 3, 3))  # not a holiday in the 2025 file
    assert not computed.is_working_day(date(2025, 1, 27))  # the file's Tết
    assert computed.is_working_day(date(2025, 2, 8))  # a Saturday the file says was worked


def test_given_holidays_replace_the_files() -> None:
    calendar = WorkingCalendar(frozenset({date(2031, 3, 3)}))
    assert calendar.working_days_from(date(2031, 3, 3), 1) == date(2031, 3, 4)


def test_procedures_carry_their_periods() -> None:
    annual = procedure(ProcedureKind.ANNUAL)
    assert annual.default_period(2023) == (date(2023, 9, 1), date(2023, 12, 14))
    assert procedure(ProcedureKind.AVERAGE_LIVING).posting_working_days == 5
    assert not procedure(ProcedureKind.LOW_INCOME_WORKER).meeting
    assert procedure(ProcedureKind.MONTHLY).default_period(2024, 3) == (
        date(2024, 3, 15),
        date(2024, 3, 30),
    )
