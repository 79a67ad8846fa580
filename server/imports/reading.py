"""Reading a household list file (XLSX or CSV) into its heading row and data rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from server.imports.columns import Field, field_of
from server.imports.values import Cell, text
from shared.errors import ErrorCode, RasoatError

# A commune's list often opens with a title (the commune, the year) above the headings.
HEADING_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Table:
    """A sheet's headings as written, the sheet row they are on, and every later row with
    its sheet row number (as the spreadsheet shows it)."""

    headings: list[str]
    heading_row: int
    rows: list[tuple[int, list[Cell]]]
    spreadsheet: bool

    def column_name(self, index: int) -> str:
        """Return how a refusal names column ``index``: its heading, and its letter in a
        spreadsheet (``Ngày sinh (F)``)."""
        heading = self.headings[index] or "?"
        return f"{heading} ({get_column_letter(index + 1)})" if self.spreadsheet else heading


def read_table(data: bytes, filename: str, mapping: dict[str, Field]) -> Table:
    """Return the table of an XLSX (its first sheet) or CSV file: its heading row is the
    first that names two columns the import reads (``mapping`` counts). Raise
    IMPORT_UNREADABLE for anything else, or when no heading row is found."""
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, filename)
        spreadsheet = True
    else:
        rows = _csv_rows(data, filename)
        spreadsheet = False
    for index, row in enumerate(rows[:HEADING_SEARCH_ROWS]):
        headings = [text(cell) or "" for cell in row]
        if sum(field_of(h, mapping) is not None for h in headings if h) >= 2:
            body = [(index + number + 2, cells) for number, cells in enumerate(rows[index + 1 :])]
            return Table(headings, index + 1, body, spreadsheet)
    raise RasoatError(ErrorCode.IMPORT_UNREADABLE, file=filename)


def _xlsx_rows(data: bytes, filename: str) -> list[list[Cell]]:
    # Calamine (Rust) reads a commune's 40,000-row sheet ten times faster than openpyxl.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, IndexError, ValueError, OSError):
        raise RasoatError(ErrorCode.IMPORT_UNREADABLE, file=filename) from None
    return [[_plain(value) for value in row] for row in rows]


def _plain(value: object) -> Cell:
    """Return a cell's value as the import reads it: an empty cell as None, a time or a
    duration as text."""
    if value == "":
        return None
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def _csv_rows(data: bytes, filename: str) -> list[list[Cell]]:
    # Excel on Vietnamese Windows saves "CSV" in the Windows-1258 code page unless told UTF-8.
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RasoatError(ErrorCode.IMPORT_UNREADABLE, file=filename)
    if "\x00" in content:
        raise RasoatError(ErrorCode.IMPORT_UNREADABLE, file=filename)
    # Excel writes ";" where the decimal mark is "," (Vietnamese settings), else ",". A title
    # line above the headings may hold none.
    sample = "\n".join(content.splitlines()[:HEADING_SEARCH_ROWS])
    delimiter = max((",", ";", "\t"), key=sample.count)
    return [list(row) for row in csv.reader(io.StringIO(content), delimiter=delimiter)]
