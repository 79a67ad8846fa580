"""Ages as the standard counts them: completed years and months on the reference date."""

from __future__ import annotations

from datetime import date


def completed_months(born: date, on: date) -> int:
    """Return the whole months lived from ``born`` to ``on`` (0 if ``on`` precedes ``born``)."""
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    return max(months, 0)


def school_age(born: date, on: date, start_month: int) -> int:
    """Return the age counted for schooling: the start year of the school year that contains
    ``on`` (a school year starts in ``start_month``) minus the birth year."""
    start_year = on.year if on.month >= start_month else on.year - 1
    return start_year - born.year
