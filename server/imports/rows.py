"""From a table's rows to households: one member per row, a household's cells on its first
row (or repeated), a row without a household code continuing the household above (merged
cells read that way). Every cell the import cannot take is a refusal with its row and column.
Pure: no I/O, ``today`` is passed in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from server.imports import values
from server.imports.columns import BY_FIELD, REQUIRED, Field, field_of
from server.imports.reading import Table
from server.imports.values import Cell, RefusedError
from server.text import fold
from shared.errors import ErrorCode, Lang, RasoatError, RowProblem, render_row_problem
from shared.household import Relation, Sex
from shared.vocabulary import HouseholdClass

CODE: Final = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The registry's column sizes (server.households.models).
LIMITS: Final = {Field.HEAD_NAME: 120, Field.ADDRESS: 255, Field.MEMBER_NAME: 120}
_MEMBER_FIELDS: Final = (Field.BIRTH_DATE, Field.SEX, Field.RELATION, Field.CITIZEN_ID)


@dataclass(frozen=True)
class Refusal:
    row: int
    column: str
    problem: RowProblem
    detail: dict[str, Any]

    def message(self, lang: Lang) -> str:
        """Return why the row is refused, in ``lang``."""
        return render_row_problem(self.problem, self.detail, lang)


@dataclass(frozen=True)
class FileMember:
    row: int
    full_name: str
    birth_date: date | None
    sex: Sex | None
    relation: Relation | None
    citizen_id: str | None


@dataclass
class FileHousehold:
    code: str
    row: int
    hamlet: str | None = None
    head_name: str | None = None
    address: str | None = None
    last_class: HouseholdClass | None = None
    members: list[FileMember] = field(default_factory=list)
    refused: bool = False


@dataclass(frozen=True)
class Parsed:
    """The households of a file in order of first appearance (refused ones marked), every
    refusal, and the headings of the columns the import does not read."""

    households: list[FileHousehold]
    refusals: list[Refusal]
    ignored: list[str]
    column_names: dict[Field, str]

    def column(self, where: Field) -> str:
        """Return how refusals name the column of ``where``."""
        return self.column_names.get(where) or BY_FIELD[where].heading


class _Reader:
    def __init__(self, table: Table, columns: dict[Field, int], today: date) -> None:
        self.table = table
        self.columns = columns
        self.today = today
        self.refusals: list[Refusal] = []
        self.households: dict[str, FileHousehold] = {}

    def refuse(self, row: int, where: Field, problem: RowProblem, **detail: Any) -> None:
        index = self.columns.get(where)
        column = BY_FIELD[where].heading if index is None else self.table.column_name(index)
        self.refusals.append(Refusal(row, column, problem, detail))

    def cell(self, cells: list[Cell], where: Field) -> Cell:
        index = self.columns.get(where)
        return cells[index] if index is not None and index < len(cells) else None

    def read(
        self, row: int, cells: list[Cell], current: FileHousehold | None
    ) -> FileHousehold | None:
        """Read one row into its household; return the household later rows continue."""
        code = values.text(self.cell(cells, Field.HOUSEHOLD_CODE))
        if code is not None:
            current = self.households.get(code)
            if current is None:
                current = self.households[code] = FileHousehold(code, row)
            if not CODE.match(code):
                self.refuse(row, Field.HOUSEHOLD_CODE, RowProblem.BAD_CODE, value=code)
                current.refused = True
        elif current is None:
            self.refuse(row, Field.HOUSEHOLD_CODE, RowProblem.MEMBER_WITHOUT_HOUSEHOLD)
            return None
        before = len(self.refusals)
        self._household_cells(row, cells, current)
        self._member(row, cells, current)
        if len(self.refusals) > before:
            current.refused = True
        return current

    def _household_cells(self, row: int, cells: list[Cell], household: FileHousehold) -> None:
        readers = {
            Field.HAMLET: values.text,
            Field.HEAD_NAME: values.text,
            Field.ADDRESS: values.text,
            Field.LAST_CLASS: values.household_class,
        }
        for where, reader in readers.items():
            try:
                value = reader(self.cell(cells, where))
            except RefusedError as refused:
                self.refuse(row, where, refused.problem, **refused.detail)
                continue
            if value is None:
                continue
            limit = LIMITS.get(where)
            if limit is not None and len(value) > limit:
                self.refuse(row, where, RowProblem.TOO_LONG, limit=limit)
                continue
            held = getattr(household, where.value)
            if held is None:
                setattr(household, where.value, value)
            elif held != value:
                self.refuse(row, where, RowProblem.CONFLICTING_VALUE, value=value, other=held)

    def _member(self, row: int, cells: list[Cell], household: FileHousehold) -> None:
        name = values.text(self.cell(cells, Field.MEMBER_NAME))
        if name is None:
            if any(values.text(self.cell(cells, where)) for where in _MEMBER_FIELDS):
                self.refuse(row, Field.MEMBER_NAME, RowProblem.REQUIRED)
            return
        if len(name) > LIMITS[Field.MEMBER_NAME]:
            self.refuse(
                row, Field.MEMBER_NAME, RowProblem.TOO_LONG, limit=LIMITS[Field.MEMBER_NAME]
            )
            return
        # A refused cell reads as empty: the household is refused already, and its other
        # checks (one head, repeated ids) still run on what the row gives.
        read: dict[Field, Any] = dict.fromkeys(_MEMBER_FIELDS)
        for where, reader in (
            (Field.BIRTH_DATE, lambda c: values.birth_date(c, self.today)),
            (Field.SEX, values.sex),
            (Field.RELATION, values.relation),
            (Field.CITIZEN_ID, values.citizen_id),
        ):
            try:
                read[where] = reader(self.cell(cells, where))
            except RefusedError as refused:
                self.refuse(row, where, refused.problem, **refused.detail)
        household.members.append(
            FileMember(
                row,
                name,
                read[Field.BIRTH_DATE],
                read[Field.SEX],
                read[Field.RELATION],
                read[Field.CITIZEN_ID],
            )
        )

    def finish(self) -> None:
        """Check what only the whole household shows: its hamlet, its one head, and citizen
        ids repeated anywhere in the file."""
        seen_ids: dict[str, int] = {}
        for household in self.households.values():
            before = len(self.refusals)
            if household.hamlet is None:
                self.refuse(household.row, Field.HAMLET, RowProblem.REQUIRED)
            self._head(household)
            for member in household.members:
                if member.citizen_id is None:
                    continue
                first = seen_ids.setdefault(member.citizen_id, member.row)
                if first != member.row:
                    self.refuse(
                        member.row,
                        Field.CITIZEN_ID,
                        RowProblem.DUPLICATE_CITIZEN_ID,
                        value=member.citizen_id,
                        other=first,
                    )
            if len(self.refusals) > before:
                household.refused = True

    def _head(self, household: FileHousehold) -> None:
        heads = [m for m in household.members if m.relation == "head"]
        code = household.code
        if len(heads) > 1:
            self.refuse(heads[1].row, Field.RELATION, RowProblem.TWO_HEADS, value=code)
        elif household.members and not heads:
            self.refuse(household.members[0].row, Field.RELATION, RowProblem.NO_HEAD, value=code)
        elif heads and household.head_name is not None:
            if fold(heads[0].full_name) != fold(household.head_name):
                self.refuse(
                    heads[0].row,
                    Field.MEMBER_NAME,
                    RowProblem.HEAD_MISMATCH,
                    value=heads[0].full_name,
                    other=household.head_name,
                )
        elif heads:
            household.head_name = heads[0].full_name
        elif household.head_name is None:
            self.refuse(household.row, Field.HEAD_NAME, RowProblem.NO_HEAD, value=code)


def columns_of(table: Table, mapping: dict[str, Field]) -> tuple[dict[Field, int], list[str]]:
    """Return the column index of each field the headings name (the first column wins) and
    the headings of the columns left unread; raise IMPORT_COLUMNS_MISSING without a
    household code or hamlet column."""
    columns: dict[Field, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(table.headings):
        found = field_of(heading, mapping) if heading else None
        if found is None or found in columns:
            if heading:
                ignored.append(heading)
            continue
        columns[found] = index
    missing = [BY_FIELD[f].heading for f in REQUIRED if f not in columns]
    if missing:
        raise RasoatError(ErrorCode.IMPORT_COLUMNS_MISSING, columns=", ".join(missing))
    return columns, ignored


def read_households(table: Table, mapping: dict[str, Field], today: date) -> Parsed:
    """Return the households the table lists and every refusal of its cells."""
    columns, ignored = columns_of(table, mapping)
    reader = _Reader(table, columns, today)
    current: FileHousehold | None = None
    for row, cells in table.rows:
        if all(values.text(cell) is None for cell in cells):
            continue
        current = reader.read(row, cells, current)
    reader.finish()
    names = {where: table.column_name(index) for where, index in columns.items()}
    return Parsed(list(reader.households.values()), reader.refusals, ignored, names)
