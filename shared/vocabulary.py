"""The words of the review, written once: the household classes, which of them are "on the
lists", and the kinds of change a class can make from one year to the next.

Everything that names a class or a change (the engine, the server's schemas and rules, the
reports, the tablet) imports it from here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal, get_args

HouseholdClass = Literal["poor", "near_poor", "average", "not_poor", "undetermined"]
CLASSES: Final[tuple[HouseholdClass, ...]] = get_args(HouseholdClass)
# The commune keeps two lists (Decision 24/2021/QĐ-TTg): poor and near-poor households. Only
# they are recognised by decision, carry certificates and register to exit.
ON_LISTS: Final[tuple[HouseholdClass, ...]] = ("poor", "near_poor")
# The names on the commune's papers (Circular 07/2021's forms).
CLASS_LABELS: Final[dict[HouseholdClass, dict[str, str]]] = {
    "poor": {"vi": "Hộ nghèo", "en": "Poor"},
    "near_poor": {"vi": "Hộ cận nghèo", "en": "Near-poor"},
    "average": {"vi": "Hộ có mức sống trung bình", "en": "Average living standard"},
    "not_poor": {"vi": "Hộ không nghèo", "en": "Not poor"},
    "undetermined": {"vi": "Chưa xác định", "en": "Undetermined"},
}
# What a commune's target counts (seeds 000, 003): households; persons ("khẩu") for the
# near-poor's health insurance; children for "no child out of school".
TargetUnit = Literal["households", "persons", "children"]
TARGET_UNITS: Final[tuple[TargetUnit, ...]] = get_args(TargetUnit)
TARGET_UNIT_LABELS: Final[dict[TargetUnit, dict[str, str]]] = {
    "households": {"vi": "hộ", "en": "households"},
    "persons": {"vi": "khẩu", "en": "persons"},
    "children": {"vi": "trẻ em", "en": "children"},
}


class Change(StrEnum):
    NEWLY_POOR = "newly_poor"
    NEWLY_NEAR_POOR = "newly_near_poor"
    FELL_BACK_POOR = "fell_back_poor"
    FELL_BACK_NEAR_POOR = "fell_back_near_poor"
    NEAR_POOR_TO_POOR = "near_poor_to_poor"
    POOR_TO_NEAR_POOR = "poor_to_near_poor"
    EXITED_POVERTY = "exited_poverty"
    EXITED_NEAR_POVERTY = "exited_near_poverty"
    UNCHANGED = "unchanged"
    UNDETERMINED = "undetermined"


CHANGE_LABELS: Final[dict[Change, dict[str, str]]] = {
    Change.NEWLY_POOR: {"vi": "Nghèo mới", "en": "Newly poor"},
    Change.NEWLY_NEAR_POOR: {"vi": "Cận nghèo mới", "en": "Newly near-poor"},
    Change.FELL_BACK_POOR: {"vi": "Tái nghèo", "en": "Fell back into poverty"},
    Change.FELL_BACK_NEAR_POOR: {"vi": "Tái cận nghèo", "en": "Fell back into near-poverty"},
    Change.NEAR_POOR_TO_POOR: {"vi": "Cận nghèo thành nghèo", "en": "Near-poor to poor"},
    Change.POOR_TO_NEAR_POOR: {"vi": "Nghèo thành cận nghèo", "en": "Poor to near-poor"},
    Change.EXITED_POVERTY: {"vi": "Thoát nghèo", "en": "Exited poverty"},
    Change.EXITED_NEAR_POVERTY: {"vi": "Thoát cận nghèo", "en": "Exited near-poverty"},
    Change.UNCHANGED: {"vi": "Không đổi", "en": "Unchanged"},
    Change.UNDETERMINED: {"vi": "Chưa xác định", "en": "Undetermined"},
}
