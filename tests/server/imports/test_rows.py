"""From a table to households: headings matched or mapped, households continued on the rows
below, and what only the whole household shows (its head, repeated ids)."""

from __future__ import annotations

from datetime import date

import pytest

from server.imports.columns import Field, parse_mapping
from server.imports.reading import Table, read_table
from server.imports.rows import read_households
from server.imports.values import Cell
from shared.errors import ErrorCode, RasoatError, RowProblem
from tests.server.imports.sheets import csv_file, filled_template

TODAY = date(2026, 1, 15)


def _table(headings: list[str], rows: list[list[Cell]], mapping: dict[str, Field]) -> Table:
    return read_table(csv_file(headings, rows), "ds.csv", mapping)


def test_headings_match_without_diacritics_in_any_case_and_after_a_title() -> None:
    data = "DANH SÁCH HỘ NĂM 2025\r\n\r\nTHON;ma ho;Họ  tên chủ hộ;Ghi chú\r\nT1;H1;An;x\r\n"
    table = read_table(data.encode("utf-8"), "ds.csv", {})
    parsed = read_households(table, {}, TODAY)
    assert table.heading_row == 3
    assert [(h.code, h.hamlet, h.head_name) for h in parsed.households] == [("H1", "T1", "An")]
    assert parsed.ignored == ["Ghi chú"]
    assert parsed.refusals == []


def test_a_mapping_names_the_columns_a_commune_calls_otherwise() -> None:
    mapping = parse_mapping({"Số hộ khẩu": "household_code", "Xóm": "Thôn/Tổ dân phố"})
    table = _table(["Xóm", "Số hộ khẩu", "Chủ hộ"], [["T1", "H1", "An"]], mapping)
    assert [h.code for h in read_households(table, mapping, TODAY).households] == ["H1"]
    assert parse_mapping(["Họ tên=head_name"]) == {"ho ten": Field.HEAD_NAME}
    with pytest.raises(RasoatError) as bad:
        parse_mapping(["Họ tên=tuổi"])
    assert bad.value.code is ErrorCode.IMPORT_MAPPING_INVALID


def test_members_continue_the_household_above_and_its_head_is_checked() -> None:
    headings = ["Thôn", "Mã hộ", "Chủ hộ", "Họ tên", "Quan hệ", "Số CCCD"]
    rows: list[list[Cell]] = [
        ["T1", "H1", None, "An", "Chủ hộ", "038080001234"],
        [None, None, None, "Bình", "Vợ", None],
        ["T1", "H2", "Cúc", "Dũng", "Chủ hộ", None],
        ["T1", "H3", None, "Em", "Con", "038080001234"],
        ["T2", "H1", None, "Giang", "Con", None],
        ["T1", "H4", None, "Hà", "Chủ hộ", None],
        [None, None, None, "Hương", "Chủ hộ", None],
        ["T1", "H5", None, None, None, None],
    ]
    parsed = read_households(_table(headings, rows, {}), {}, TODAY)
    first = parsed.households[0]
    assert (first.head_name, [m.full_name for m in first.members]) == (
        "An",
        ["An", "Bình", "Giang"],
    )
    assert {(r.row, r.column, r.problem) for r in parsed.refusals} == {
        (4, "Họ tên", RowProblem.HEAD_MISMATCH),
        (5, "Quan hệ", RowProblem.NO_HEAD),
        (5, "Số CCCD", RowProblem.DUPLICATE_CITIZEN_ID),
        (6, "Thôn", RowProblem.CONFLICTING_VALUE),
        (8, "Quan hệ", RowProblem.TWO_HEADS),
        (9, "Chủ hộ", RowProblem.NO_HEAD),
    }
    assert [h.code for h in parsed.households if not h.refused] == []


def test_spreadsheet_cells_typed_as_dates_and_numbers() -> None:
    row: list[Cell] = ["KP1", 1001, None, None, "Lò Văn Sáng", date(1970, 2, 1), "Nam", "Chủ hộ"]
    row += [38070001234, "Hộ nghèo"]
    table = read_table(filled_template([row]), "mau.xlsx", {})
    parsed = read_households(table, {}, TODAY)
    assert parsed.refusals == []
    household = parsed.households[0]
    assert household.code == "1001"
    assert (household.members[0].birth_date, household.members[0].citizen_id) == (
        date(1970, 2, 1),
        "038070001234",
    )
