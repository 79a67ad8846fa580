"""Filling the shipped template (or a CSV) with rows, as a commune officer would."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from server.imports.template import SHEET, SHIPPED
from server.imports.values import Cell


def filled_template(rows: list[list[Cell]]) -> bytes:
    """Return the shipped template with ``rows`` typed under its headings."""
    workbook = load_workbook(SHIPPED)
    sheet = workbook[SHEET]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(headings: list[str], rows: list[list[Cell]], delimiter: str = ",") -> bytes:
    """Return a UTF-8 CSV (with the BOM Excel writes) of ``headings`` and ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headings)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")
