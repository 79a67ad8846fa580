"""The shipped template is the one the code makes, and the import reads it."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from server.imports.columns import COLUMNS
from server.imports.reading import read_table
from server.imports.template import CHOICES, GUIDE, SHEET, SHIPPED, build_template


def _contents(data: bytes) -> list[list[list[object]]]:
    workbook = load_workbook(io.BytesIO(data))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook]


def test_the_shipped_template_is_fresh() -> None:
    """Regenerate it with ``python -m server.imports.template`` when this fails."""
    assert _contents(SHIPPED.read_bytes()) == _contents(build_template())


def test_the_template_has_the_vietnamese_headings_and_the_lists_of_choices() -> None:
    workbook = load_workbook(SHIPPED)
    assert workbook.sheetnames == [SHEET, GUIDE]
    sheet = workbook[SHEET]
    assert [c.value for c in sheet[1]] == [c.heading for c in COLUMNS]
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {'"' + ",".join(choices) + '"' for choices in CHOICES.values()}
    table = read_table(SHIPPED.read_bytes(), SHIPPED.name, {})
    assert (table.heading_row, table.rows) == (1, [])
