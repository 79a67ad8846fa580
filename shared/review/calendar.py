"""Working days: weekends and Vietnam's public holidays do not count (Labour Code 2019,
Art. 112). Holidays are data, one file per year in ``holidays/`` with the lunar dates (Tết,
Hùng Kings) already turned into Gregorian dates, plus the weekends worked to swap a day off."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from shared.errors import ErrorCode, RasoatError

HOLIDAY_DIR = Path(__file__).parent / "holidays"


class Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: date
    name: dict[str, str]


class HolidayYear(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int
    confirmed: bool
    holidays: tuple[Holiday, ...]
    working_weekends: tuple[date, ...] = ()


@cache
def holiday_year(year: int) -> HolidayYear:
    """Return the holidays of ``year``; raise NO_CALENDAR when no file describes it."""
    path = HOLIDAY_DIR / f"{year}.yaml"
    if not path.exists():
        raise RasoatError(ErrorCode.NO_CALENDAR, year=year)
    data = HolidayYear.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if data.year != year or any(h.date.year != year for h in data.holidays):
        raise RasoatError(ErrorCode.NO_CALENDAR, year=year)
    return data


def years_on_file() -> list[int]:
    """Return the years that have a holiday file."""
    return sorted(int(p.stem) for p in HOLIDAY_DIR.glob("*.yaml"))


class WorkingCalendar:
    """Counts working days. ``holidays`` and ``working_weekends`` are given for tests and for
    provinces with their own days; by default they come from the year files as needed."""

    def __init__(
        self,
        holidays: frozenset[date] | None = None,
        working_weekends: frozenset[date] = frozenset(),
    ) -> None:
        self._fixed = holidays
        self._working_weekends = working_weekends

    def _year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        if self._fixed is not None:
            return self._fixed, self._working_weekends
        data = holiday_year(year)
        return frozenset(h.date for h in data.holidays), frozenset(data.working_weekends)

    def is_working_day(self, day: date) -> bool:
        """Return True when ``day`` is neither a weekend (unless worked in a swap) nor a
        public holiday."""
        holidays, worked = self._year(day.year)
        if day in holidays:
            return False
        return day.weekday() < 5 or day in worked

    def working_days_from(self, first: date, count: int) -> date:
        """Return the last of ``count`` working days counted from ``first`` (which counts
        when it is a working day itself)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day = first
        seen = 0
        while True:
            if self.is_working_day(day):
                seen += 1
                if seen == count:
                    return day
            day += timedelta(days=1)

    def working_days_after(self, day: date, count: int) -> date:
        """Return the ``count``-th working day after ``day`` (a deadline "within N working
        days" of an event on ``day``)."""
        return self.working_days_from(day + timedelta(days=1), count)

    def days_after(self, event: date, count: int) -> date:
        """Return the last day of a period of ``count`` calendar days after ``event``.

        Counting starts the day after the event (Civil Code 2015, Art. 147(1)); a period whose
        last day is a weekend or public holiday ends on the next working day instead (Art.
        148(5))."""
        if count < 1:
            raise ValueError("count must be at least 1")
        last = event + timedelta(days=count)
        while not self.is_working_day(last):
            last += timedelta(days=1)
        return last

    def working_days_between(self, first: date, last: date) -> int:
        """Return how many working days lie from ``first`` to ``last``, both included."""
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
