"""The Vietnamese words papers and reports print for the registry's codes: the forms' own
choice labels (``forms/choices``), the ethnic groups' names (``shared.people``), and the
member's activity, which no shipped form asks yet. A paper never prints a code."""

from __future__ import annotations

from functools import cache

from shared.forms.catalog import shipped
from shared.people import ethnic_groups

# Decision 24/2021's forms' "tình trạng" of a member.
ACTIVITIES = {
    "working": "Đang làm việc",
    "not_working": "Không làm việc",
    "in_school": "Đang đi học",
}


@cache
def _choices() -> dict[str, dict[str, str]]:
    lists: dict[str, dict[str, str]] = {}
    for shared in shipped().shared.values():
        for name, choices in shared.choice_lists.items():
            lists.setdefault(name, {}).update({str(c.value): c.label.vi for c in choices})
    return lists


def choice(list_name: str, value: str | None) -> str:
    """Return the Vietnamese label of ``value`` in the forms' shared choice list
    ``list_name`` (``sex``, ``relation``, ``special_groups``, ``poverty_causes`` …), the
    value itself when the list lacks it, "" for None."""
    if value is None:
        return ""
    return _choices().get(list_name, {}).get(value, value)


def activity(value: str | None) -> str:
    """Return the member's activity in words, "" when not recorded."""
    return "" if value is None else ACTIVITIES.get(value, value)


def ethnicity(code: str | None) -> str:
    """Return the name of the ethnic group with ``code``, "" when not recorded."""
    return "" if code is None else ethnic_groups().get(code, code)


def yes(value: bool | None) -> str:
    """Return "Có" for yes, "" for no or not recorded: the forms tick what applies."""
    return "Có" if value else ""
