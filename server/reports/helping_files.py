"""Seed 002's helping-officer list as files: a workbook (one row per household, the heading,
the column numbering and the signature block) and its PDF twin (A4 landscape)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from server.documents import fonts
from server.reports.appendix_vii_files import MAKER, SIGNER, day, landscape_pdf, signatures
from server.reports.helping import HelpedHousehold, HelpingList

HEADERS = (
    "TT",
    "Mã hộ",
    "Họ và tên chủ hộ",
    "Thôn, làng",
    "Loại hộ",
    "Cán bộ phụ trách, giúp đỡ",
    "Cơ quan, tổ chức",
    "Hình thức giúp đỡ",
    "Tiến độ",
)
WIDTHS_XLSX = (5, 16, 22, 16, 13, 24, 24, 38, 34)
WIDTHS_PDF_MM = (8, 24, 32, 22, 20, 32, 34, 56, 45)


def title(paper: HelpingList) -> str:
    return (
        "DANH SÁCH CÁN BỘ, CÔNG CHỨC PHỤ TRÁCH, GIÚP ĐỠ CÁC HỘ ĐĂNG KÝ THOÁT NGHÈO "
        f"NĂM {paper.year}"
    )


def subtitle(paper: HelpingList) -> str:
    """Return the line under the title: the plan it is attached to, and the hamlets a
    hamlet-scoped reader's list covers."""
    line = (
        f"(Kèm theo Kế hoạch phụ trách, giúp đỡ các hộ thoát nghèo năm {paper.year} "
        f"của Ủy ban nhân dân {paper.commune})"
    )
    if paper.hamlets:
        line += f". Địa bàn: {', '.join(paper.hamlets)}"
    return line


def cells(number: int, line: HelpedHousehold, between: str) -> list[str]:
    """Return a household's cells in words; several officers, organisations or forms of help
    are joined by ``between``; an empty cell reads "Chưa phân công" for the officers."""
    return [
        str(number),
        line.code,
        line.head_name,
        line.hamlet,
        line.household_class,
        between.join(line.officers) or "Chưa phân công",
        between.join(line.organisations),
        between.join(line.help),
        line.progress,
    ]


def summary(paper: HelpingList) -> str:
    return f"Tổng số: {len(paper.lines)} hộ."


# ---- XLSX -----------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)


def _line(sheet: Worksheet, row: int, first: int, last: int, text: str, **style: object) -> None:
    cell = sheet.cell(row=row, column=first, value=text)
    for key, value in style.items():
        setattr(cell, key, value)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def helping_xlsx(paper: HelpingList) -> bytes:
    """Return the list as a one-sheet workbook."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Danh sach phu trach"
    width = len(HEADERS)
    bold = Font(bold=True)
    _line(sheet, 1, 1, 4, f"ỦY BAN NHÂN DÂN {paper.commune.upper()}", font=bold, alignment=_CENTER)
    _line(sheet, 2, 1, 4, paper.province, alignment=_CENTER)
    _line(sheet, 1, 5, width, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=bold, alignment=_CENTER)
    _line(sheet, 2, 5, width, "Độc lập - Tự do - Hạnh phúc", font=bold, alignment=_CENTER)
    _line(sheet, 4, 1, width, title(paper), font=Font(bold=True, size=13), alignment=_CENTER)
    _line(sheet, 5, 1, width, subtitle(paper), font=Font(italic=True), alignment=_CENTER)
    sheet.row_dimensions[4].height = 20
    header, numbers = 7, 8
    for index, heading in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=header, column=index, value=heading)
        cell.font, cell.alignment, cell.border = bold, _CENTER, _BOX
        mark = sheet.cell(row=numbers, column=index, value=f"({index})")
        mark.font, mark.alignment, mark.border = Font(italic=True), _CENTER, _BOX
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS_XLSX[index - 1]
    sheet.row_dimensions[header].height = 32
    row = numbers + 1
    for number, line in enumerate(paper.lines, start=1):
        for index, value in enumerate(cells(number, line, "\n"), start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.alignment, cell.border = _WRAP, _BOX
        row += 1
    sheet.cell(row=row, column=1, value=summary(paper)).font = bold
    row += 2
    _line(
        sheet,
        row,
        6,
        width,
        f"{paper.commune}, ngày {day(paper.made_on)}",
        font=Font(italic=True),
        alignment=_CENTER,
    )
    _line(sheet, row + 1, 1, 3, MAKER[0], font=bold, alignment=_CENTER)
    _line(sheet, row + 2, 1, 3, MAKER[1], font=Font(italic=True), alignment=_CENTER)
    for offset, text in enumerate(SIGNER, start=1):
        font = Font(italic=True) if text.startswith("(") else bold
        _line(sheet, row + offset, 6, width, text, font=font, alignment=_CENTER)
    sheet.freeze_panes = f"A{numbers + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------------------


def helping_pdf(paper: HelpingList) -> bytes:
    """Return the list as a PDF (A4 landscape, the header repeated on every page)."""
    fonts.register()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9.5, leading=12)
    center = ParagraphStyle("center", parent=body, alignment=TA_CENTER)
    bold = ParagraphStyle("bold", parent=center, fontName=fonts.BOLD)
    big = ParagraphStyle("big", parent=bold, fontSize=12.5, leading=16, spaceBefore=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=cell, fontName=fonts.BOLD, alignment=TA_CENTER)
    heading = Table(
        [
            [
                [Paragraph(f"ỦY BAN NHÂN DÂN {escape(paper.commune.upper())}", bold),
                 Paragraph(escape(paper.province), center)],
                [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold),
                 Paragraph("Độc lập - Tự do - Hạnh phúc", bold)],
            ]
        ],
        colWidths=[110 * mm, 163 * mm],
    )  # fmt: skip
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    data: list[list[object]] = [
        [Paragraph(h, head) for h in HEADERS],
        [f"({n})" for n in range(1, len(HEADERS) + 1)],
    ]
    for number, line in enumerate(paper.lines, start=1):
        data.append(
            [Paragraph(escape(v).replace("\n", "<br/>"), cell) for v in cells(number, line, "\n")]
        )
    if not paper.lines:
        data.append([Paragraph("(không có hộ nào)", cell)] + [""] * (len(HEADERS) - 1))
    table = Table(data, colWidths=[w * mm for w in WIDTHS_PDF_MM], repeatRows=2)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, 1), (-1, 1), fonts.REGULAR, 7),
                ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
            ]
        )
    )
    story: list[Flowable] = [
        heading,
        Spacer(1, 4 * mm),
        Paragraph(title(paper), big),
        Paragraph(f"<i>{escape(subtitle(paper))}</i>", center),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 2 * mm),
        Paragraph(f"<b>{summary(paper)}</b>", body),
        Spacer(1, 4 * mm),
        signatures(f"{paper.commune}, ngày {day(paper.made_on)}", bold, center),
    ]
    return landscape_pdf(story, title(paper))
