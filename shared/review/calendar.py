"""Working days: weekends and Vietnam's public holidays do not count (Labour Code 2019,
Art. 112).

The public holidays of a year come from a computed calendar given by the caller (the server
passes the ``holidays`` package's Vietnamese calendar, lunar dates computed, for any year) unless
a file in ``holidays/`` describes the year: a file holds the days off as the Prime Minister's
notice for the year set them, with the weekends worked to swap a day off, and replaces the
computed days for its year. ``shared`` stays pure (standard library, Pydantic, Shapely), so the
tablet needs no calendar package: it counts no working days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from shared.errors import ErrorCode, RasoatError

PublicHolidays = Callable[[int], frozenset[date]]
"""The public holidays (days off that fall on weekdays or weekends) of a year, computed."""

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


def _on_file(year: int) -> HolidayYear | None:
    """Return the year's file, None when there is none."""
    if not (HOLIDAY_DIR / f"{year}.yaml").exists():
        return None
    return holiday_year(year)


def years_on_file() -> list[int]:
    """Return the years that have a holiday file."""
    return sorted(int(p.stem) for p in HOLIDAY_DIR.glob("*.yaml"))


class WorkingCalendar:
    """Counts working days. ``holidays`` and ``working_weekends`` are given for tests and for
    provinces with their own days; by default a year's days off come from its file, or else
    from the ``computed`` public holidays (NO_CALENDAR when neither describes the year)."""

    def __init__(
        self,
        holidays: frozenset[date] | None = None,
        working_weekends: frozenset[date] = frozenset(),
        computed: PublicHolidays | None = None,
    ) -> None:
        self._fixed = holidays
        self._working_weekends = working_weekends
        self._computed = computed

    def _year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        if self._fixed is not None:
            return self._fixed, self._working_weekends
        data = _on_file(year)
        if data is not None:
            return frozenset(h.date for h in data.holidays), frozenset(data.working_weekends)
        if self._computed is None:
            raise RasoatError(ErrorCode.NO_CALENDAR, year=year)
        return self._computed(year), frozenset()

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
