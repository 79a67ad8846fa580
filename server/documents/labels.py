"""The Vietnamese words papers and reports print for the registry's codes: the forms' own
choice labels (``forms/choices``), the ethnic groups' names (``shared.people``), the
member's activity, which no shipped form asks yet, and the helping officers' organisations
and the stages of a household's exit (``server/support``'s codes, which no form lists). A
paper never prints a code."""

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

# The organisations a helping officer belongs to (server/support/vocabulary.yaml; seeds 001,
# 002 name them so).
ORGANISATIONS = {
    "commune_staff": "Cán bộ, công chức xã",
    "fatherland_front": "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
    "womens_union": "Hội Liên hiệp Phụ nữ",
    "farmers_union": "Hội Nông dân",
    "veterans_union": "Hội Cựu chiến binh",
    "youth_union": "Đoàn Thanh niên",
}
# A registered household's stage (docs/support.md "Progress"); "exited" reads by the class it
# started from.
STAGES = {
    "registered": "Đã đăng ký, chưa có chuyển biến",
    "on_track": "Đang được giúp đỡ, có chuyển biến",
}
EXITED = {"poor": "Đã thoát nghèo", "near_poor": "Đã thoát cận nghèo"}


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


def organisation(code: str | None) -> str:
    """Return the name of a helping officer's organisation, "" when not recorded."""
    return "" if code is None else ORGANISATIONS.get(code, code)


def stage(code: str, starting_class: str) -> str:
    """Return a registered household's stage in words; an exit reads by the class it started
    from (thoát nghèo, thoát cận nghèo)."""
    if code == "exited":
        return EXITED.get(starting_class, EXITED["poor"])
    return STAGES.get(code, code)
