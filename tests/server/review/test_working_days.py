"""Working days after the hand-written holiday files end: the server's calendar computes
Vietnam's public holidays (Tết by the lunar calendar) for any year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.working_days import vietnam_holidays, working_calendar
from shared.review.calendar import holiday_year, years_on_file
from tests.server.review.conftest import Api, Commune

CALENDAR = working_calendar()


@pytest.mark.parametrize("year", [y for y in years_on_file() if holiday_year(y).confirmed])
def test_the_computed_holidays_agree_with_every_confirmed_year_file(year: int) -> None:
    # The files list the weekdays off; the computed calendar also names holidays that fall on
    # a weekend, which change no count.
    on_file = holiday_year(year)
    weekdays_off = {d for d in vietnam_holidays(year) if d.weekday() < 5}
    assert weekdays_off == {h.date for h in on_file.holidays}


@pytest.mark.parametrize(
    ("first", "count", "last"),
    [
        # Tết Đinh Mùi: New Year's Day is Saturday 6 February 2027; Thursday 4 to Wednesday
        # 10 February are off (the Saturday and Sunday of Tết moved to the 4th and the 10th).
        (date(2027, 2, 3), 3, date(2027, 2, 12)),
        (date(2027, 2, 4), 1, date(2027, 2, 11)),
        # Tết Mậu Thân: New Year's Day is Wednesday 26 January 2028; Monday 24 to Friday 28.
        (date(2028, 1, 21), 3, date(2028, 2, 1)),
        # 1 January 2028 is a Saturday: Monday 3 January is off instead.
        (date(2027, 12, 31), 2, date(2028, 1, 4)),
        # 2 September 2027 is a Thursday: 2 and 3 September are off.
        (date(2027, 9, 1), 3, date(2027, 9, 7)),
        # An ordinary week: nothing is off.
        (date(2027, 11, 1), 3, date(2027, 11, 3)),
    ],
)
def test_posting_deadlines_after_2026_count_the_computed_days_off(
    first: date, count: int, last: date
) -> None:
    assert CALENDAR.working_days_from(first, count) == last


def test_a_recheck_over_tet_2028_is_due_after_the_holiday_week() -> None:
    assert CALENDAR.working_days_after(date(2028, 1, 21), 3) == date(2028, 2, 2)
    tet = [date(2028, 1, 24) + timedelta(days=n) for n in range(5)]
    assert not any(CALENDAR.is_working_day(day) for day in tet)


def test_a_monthly_round_of_2027_has_its_deadline_moved_past_tet(
    api: Api, commune: Commune
) -> None:
    round_ = api.call(
        "commune_officer",
        "POST",
        "/review/rounds",
        201,
        json={
            "commune_id": commune.world.commune_ids[0],
            "procedure": "monthly",
            "year": 2027,
            "starts_on": "2027-01-21",
        },
    )
    # 15 calendar days end on Friday 5 February, a day of Tết: the next working day is the
    # 11th (Civil Code 2015, Art. 148(5)).
    assert round_["decision_due_on"] == "2027-02-11"
    assert round_["standard"] == "vn-2027-2030"
