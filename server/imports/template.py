"""The household list template a commune fills in (Vietnamese headings, one member per row).

The project ships it as ``server/imports/mau-danh-sach-ho.xlsx`` so that an officer can open
it without running anything; ``python -m server.imports.template`` writes it again from the
columns (``tests/server/imports/test_template.py`` fails when it is stale).
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from server.imports.columns import COLUMNS, Field

SHIPPED = Path(__file__).with_name("mau-danh-sach-ho.xlsx")
SHEET = "Danh sách hộ"
GUIDE = "Hướng dẫn"
# Rows whose cells offer the lists of choices: a commune of 2,567 households has about 10,000
# people.
ROWS = 20_000
CHOICES = {
    Field.SEX: ("Nam", "Nữ"),
    Field.RELATION: (
        "Chủ hộ", "Vợ", "Chồng", "Con", "Bố", "Mẹ", "Cháu", "Anh", "Chị", "Em", "Khác",
    ),
    Field.LAST_CLASS: ("Hộ nghèo", "Hộ cận nghèo", "Hộ có mức sống trung bình", "Không nghèo"),
}  # fmt: skip
FORMATS = {Field.HOUSEHOLD_CODE: "@", Field.CITIZEN_ID: "@", Field.BIRTH_DATE: "DD/MM/YYYY"}
GUIDE_LINES = (
    "Mẫu danh sách hộ gia đình để nhập vào hệ thống Rà Soát",
    "",
    "1. Mỗi dòng là một người. Dòng đầu của mỗi hộ ghi mã hộ, thôn/tổ dân phố, họ tên chủ hộ, "
    "địa chỉ và phân loại hộ năm trước.",
    "2. Các thành viên tiếp theo của hộ ghi ở các dòng ngay dưới; ô mã hộ để trống (hoặc ghi "
    "lại mã hộ).",
    "3. Mỗi hộ có đúng một người có quan hệ 'Chủ hộ'.",
    "4. Ngày sinh ghi dạng ngày/tháng/năm, ví dụ 05/03/1980.",
    "5. Số CCCD gồm đúng 12 chữ số; không trùng giữa các thành viên.",
    "6. Thôn/tổ dân phố ghi đúng tên hoặc mã như trong hệ thống.",
    "7. Trước khi nhập, hệ thống cho xem trước: hộ thêm mới, hộ cập nhật, hộ không đổi và các "
    "dòng bị từ chối kèm lý do. Chỉ khi không còn dòng bị từ chối mới nhập được, và nhập cả "
    "tệp một lần.",
    "",
    "Ví dụ:",
)
EXAMPLE = (
    ("Thôn 1", "T1-0001", "Nguyễn Văn An", "Xóm Đông", "Nguyễn Văn An", "05/03/1970", "Nam",
     "Chủ hộ", "038070001234", "Hộ nghèo"),
    (None, None, None, None, "Lê Thị Bình", "12/11/1974", "Nữ", "Vợ", "038174005678", None),
    (None, None, None, None, "Nguyễn Văn Cường", "20/08/2005", "Nam", "Con", None, None),
)  # fmt: skip


def build_template() -> bytes:
    """Return the template workbook as XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(column.hint, "Rà Soát")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        number_format = FORMATS.get(column.field)
        if number_format is not None:
            # A column's style is what Excel gives the cells typed into it: codes and ids
            # stay text (keeping their leading zeros), dates read day first.
            sheet.column_dimensions[letter].number_format = number_format
        choices = CHOICES.get(column.field)
        if choices is not None:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.heading,
                error="Chọn một giá trị trong danh sách: " + ", ".join(choices),
            )
            validation.add(f"{letter}2:{letter}{ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(GUIDE)
    guide.column_dimensions["A"].width = 120
    for row, line in enumerate(GUIDE_LINES, start=1):
        guide.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True)
    guide.cell(row=1, column=1).font = bold
    start = len(GUIDE_LINES) + 1
    for index, column in enumerate(COLUMNS, start=1):
        guide.cell(row=start, column=index, value=column.heading).font = bold
    for offset, example in enumerate(EXAMPLE, start=1):
        for index, value in enumerate(example, start=1):
            guide.cell(row=start + offset, column=index, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


if __name__ == "__main__":
    SHIPPED.write_bytes(build_template())
    print(SHIPPED)
