"""The server's working calendar: Vietnam's public holidays computed by the ``holidays``
package (lunar Tết and Hùng Kings dates, days off moved from weekends) for any year, with the
year files in ``shared/review/holidays/`` replacing them where the Prime Minister's notice set
other days or swapped a weekend."""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

from shared.review.calendar import WorkingCalendar


@cache
def vietnam_holidays(year: int) -> frozenset[date]:
    """Return Vietnam's public holidays of ``year`` (Labour Code 2019, Art. 112), computed."""
    return frozenset(holidays.country_holidays("VN", years=year))


def working_calendar() -> WorkingCalendar:
    """Return the calendar posting, re-check and decision deadlines are counted on."""
    return WorkingCalendar(computed=vietnam_holidays)
