"""Reading one cell of a household list: dates, sex, relation and class words in Vietnamese
(or English), citizen ids. Pure: no I/O, no clock (``today`` is passed in).

Each reader returns the value or raises ``RefusedError`` with the catalog problem; an empty cell
is None, and whether it may be empty is the caller's rule. The tablet never reads
spreadsheets, so this lives with the server's import rather than in ``shared/``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any, Final, TypeVar

from server.text import fold
from shared.errors import RowProblem
from shared.household import Relation, Sex
from shared.vocabulary import HouseholdClass

Cell = str | int | float | date | datetime | bool | None
EARLIEST_BIRTH: Final = date(1900, 1, 1)


class RefusedError(Exception):
    """A cell the import cannot take."""

    def __init__(self, problem: RowProblem, **detail: Any) -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(problem.value)


def text(cell: Cell) -> str | None:
    """Return the cell as trimmed text with single spaces; None when empty. A whole number
    stored as a float (1.0) reads as 1."""
    if cell is None:
        return None
    if type(cell) is str:
        return " ".join(cell.split()) or None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    value = " ".join(str(cell).split())
    return value or None


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def birth_date(cell: Cell, today: date) -> date | None:
    """Return the date of a cell holding a spreadsheet date, ``dd/mm/yyyy`` (also with ``.``
    or ``-``) or ISO ``yyyy-mm-dd``; a date after ``today`` or before 1900 is refused."""
    if isinstance(cell, datetime):
        found: date | None = cell.date()
    elif isinstance(cell, date):
        found = cell
    else:
        value = text(cell)
        if value is None:
            return None
        found = _parsed(value)
        if found is None:
            raise RefusedError(RowProblem.BAD_DATE, value=value)
    assert found is not None
    if not EARLIEST_BIRTH <= found <= today:
        raise RefusedError(RowProblem.FUTURE_DATE, value=found.strftime("%d/%m/%Y"))
    return found


def _parsed(value: str) -> date | None:
    iso = _ISO.match(value)
    dmy = _DMY.match(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dmy:
        day, month, year = (int(part) for part in dmy.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_SEXES: Final[dict[str, Sex]] = {"nam": "male", "male": "male", "nu": "female", "female": "female"}

# Folded words of the household lists communes keep, to the registry's relations. In-laws
# count with the relation they are named by (a daughter-in-law is "con dâu": a child), as the
# household registration book (sổ hộ khẩu) lists them.
_RELATIONS: Final[dict[str, Relation]] = {
    **dict.fromkeys(("chu ho", "ch", "head"), "head"),
    **dict.fromkeys(("vo", "chong", "vo chong", "vo/chong", "spouse"), "spouse"),
    **dict.fromkeys(
        ("con", "con trai", "con gai", "con de", "con nuoi", "con dau", "con re", "child"),
        "child",
    ),
    **dict.fromkeys(
        (
            "bo", "me", "cha", "bo me", "bo/me", "cha me", "bo de", "me de", "bo chong",
            "me chong", "bo vo", "me vo", "parent",
        ),
        "parent",
    ),
    **dict.fromkeys(("chau", "chau noi", "chau ngoai", "grandchild"), "grandchild"),
    **dict.fromkeys(
        (
            "anh", "chi", "em", "anh trai", "chi gai", "em trai", "em gai", "anh/chi/em",
            "anh chi em", "sibling",
        ),
        "sibling",
    ),
    # Bare "ba" is left out: folded, it is both "bà" (grandmother) and the South's "ba"
    # (father).
    **dict.fromkeys(
        ("khac", "ong", "ong noi", "ba noi", "ong ngoai", "ba ngoai", "other"), "other"
    ),
}  # fmt: skip

_CLASSES: Final[dict[str, HouseholdClass]] = {
    **dict.fromkeys(("ho ngheo", "ngheo", "poor", "hn"), "poor"),
    **dict.fromkeys(("ho can ngheo", "can ngheo", "near poor", "near_poor", "hcn"), "near_poor"),
    **dict.fromkeys(
        (
            "ho co muc song trung binh", "muc song trung binh", "trung binh", "average",
            "ho trung binh",
        ),
        "average",
    ),
    **dict.fromkeys(("khong ngheo", "ho khong ngheo", "not poor", "not_poor"), "not_poor"),
}  # fmt: skip


@cache
def _folded_word(value: str) -> str:
    # A list repeats a handful of words thousands of times; folding is the costly part.
    return fold(value).replace("-", " ").strip(" .")


Word = TypeVar("Word")


def _lookup(cell: Cell, words: dict[str, Word], problem: RowProblem) -> Word | None:
    """Return what the cell's word stands for in ``words`` (matched without case, diacritics
    or hyphens), None for an empty cell; refuse a word not in the table."""
    value = text(cell)
    if value is None:
        return None
    found = words.get(_folded_word(value))
    if found is None:
        raise RefusedError(problem, value=value)
    return found


def sex(cell: Cell) -> Sex | None:
    """Return the sex written as Nam/Nữ (or male/female)."""
    return _lookup(cell, _SEXES, RowProblem.UNKNOWN_SEX)


def relation(cell: Cell) -> Relation | None:
    """Return the relation to the head written as the household lists write it."""
    return _lookup(cell, _RELATIONS, RowProblem.UNKNOWN_RELATION)


def household_class(cell: Cell) -> HouseholdClass | None:
    """Return the class written as the commune's lists write it (Hộ nghèo, Cận nghèo…)."""
    return _lookup(cell, _CLASSES, RowProblem.UNKNOWN_CLASS)


def citizen_id(cell: Cell) -> str | None:
    """Return the 12-digit citizen id (căn cước). Spaces and dots between digit groups are
    dropped. A number cell has lost its leading zeros (an id starts with its province's
    three-digit code, 001 to 096), so a whole number of 10 or 11 digits is padded back."""
    if isinstance(cell, bool):
        raise RefusedError(RowProblem.BAD_CITIZEN_ID, value=str(cell))
    if isinstance(cell, int | float) and float(cell).is_integer() and 10**9 <= cell < 10**12:
        return f"{int(cell):012d}"
    value = text(cell)
    if value is None:
        return None
    digits = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"[0-9]{12}", digits):
        raise RefusedError(RowProblem.BAD_CITIZEN_ID, value=value)
    return digits
