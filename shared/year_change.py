"""The one classifier of a household's change from last year: the review's cases, the
reports' change columns and the exit plans' "exited" stage all ask it.

Where the three earlier copies disagreed, this follows Circular 07/2021's report columns and
the Vietnamese terms (docs/review.md, "The change from last year"):
- "tái nghèo" (fell back into poverty) is a household that had *exited poverty*: poor in an
  earlier year, not poor last year, poor again. A household that was only ever near-poor and is
  poor now is newly poor; likewise for near-poverty.
- poor → near-poor is an exit from poverty, so poor → near-poor → poor is falling back, not a
  near-poor household becoming poor.
- ``undetermined`` is not a class a household moves into: the data is missing, the household
  neither exits nor enters a list until it is classified.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from shared.vocabulary import Change

# The changes by which a household leaves the list it was on.
EXITS: Final = frozenset(
    {Change.EXITED_POVERTY, Change.EXITED_NEAR_POVERTY, Change.POOR_TO_NEAR_POOR}
)


def change_from_last_year(earlier: Sequence[str | None], current: str) -> Change:
    """Return how ``current`` differs from the household's earlier classes (oldest first, the
    last one being last year's; None where a year has no class)."""
    if current == "undetermined":
        return Change.UNDETERMINED
    last = earlier[-1] if earlier else None
    if current == "poor":
        if last == "poor":
            return Change.UNCHANGED
        if "poor" in earlier:
            return Change.FELL_BACK_POOR
        return Change.NEAR_POOR_TO_POOR if last == "near_poor" else Change.NEWLY_POOR
    if current == "near_poor":
        if last == "near_poor":
            return Change.UNCHANGED
        if last == "poor":
            return Change.POOR_TO_NEAR_POOR
        return Change.FELL_BACK_NEAR_POOR if "near_poor" in earlier else Change.NEWLY_NEAR_POOR
    if last == "poor":
        return Change.EXITED_POVERTY
    if last == "near_poor":
        return Change.EXITED_NEAR_POVERTY
    return Change.UNCHANGED


def has_exited(starting_class: str, current: str) -> bool:
    """Return True when a household that stood ``starting_class`` has left its list by
    standing ``current``."""
    return change_from_last_year([starting_class], current) in EXITS
