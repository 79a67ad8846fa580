"""Appendix VII's forms as files: a workbook with one sheet per form (merged header cells,
the column numbering row (1), (2) …, numbers as numbers, the signature block) and its PDF
twin (A4 landscape, one form per page), drawn from the same filled forms."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from server.documents import fonts
from server.reports.appendix_vii import Figure, FilledForm

# The first two columns of every form: the row's number and its hamlet.
FIXED = ("TT", "Thôn, tổ dân phố")
MAKER = ("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)")
SIGNER = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)")
RATE_FORMAT = "0.00"


def day(value: date) -> str:
    """Return ``value`` as the papers print a date: dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def period_line(form: FilledForm) -> str:
    """Return the line under the title: the period, the date the figures stand at, the due
    date."""
    return (
        f"Kỳ báo cáo: {form.period} (số liệu đến ngày {day(form.as_of)}; "
        f"hạn gửi ngày {day(form.due)})"
    )


def place_and_date(form: FilledForm) -> str:
    return f"{form.commune}, ngày {day(form.made_on)}"


def numbering(form: FilledForm) -> list[str]:
    """Return the column numbering row: (1), (2) … over every column, the fixed two first."""
    return [f"({n})" for n in range(1, len(FIXED) + len(form.columns) + 1)]


def is_rate(heading: str) -> bool:
    return heading.startswith("Tỷ lệ")


# ---- XLSX -----------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_ROW = 8


def _merge(sheet: Worksheet, row: int, first: int, last: int, value: Any, **style: Any) -> None:
    cell = sheet.cell(row=row, column=first, value=value)
    for key, setting in style.items():
        setattr(cell, key, setting)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _form_sheet(book: Workbook, form: FilledForm) -> None:
    sheet = book.create_sheet(f"Mau {form.number}")
    assert isinstance(sheet, Worksheet)
    width = len(FIXED) + len(form.columns)
    half = max(width // 2, 3)
    bold = Font(bold=True)
    _merge(sheet, 1, 1, half, form.issuer, font=bold)
    _merge(sheet, 2, 1, half, form.province)
    _merge(
        sheet,
        1,
        half + 1,
        width,
        f"Mẫu số {form.number}",
        font=bold,
        alignment=Alignment(horizontal="right"),
    )
    _merge(
        sheet,
        2,
        half + 1,
        width,
        f"({form.basis})",
        font=Font(italic=True),
        alignment=Alignment(horizontal="right", wrap_text=True),
    )
    sheet.row_dimensions[2].height = 30
    _merge(sheet, 4, 1, width, form.title, font=Font(bold=True, size=13), alignment=_CENTER)
    sheet.row_dimensions[4].height = 34
    _merge(sheet, 5, 1, width, period_line(form), alignment=_CENTER)
    _merge(
        sheet,
        6,
        1,
        width,
        form.unit,
        font=Font(italic=True),
        alignment=Alignment(horizontal="right"),
    )
    top, below = _HEADER_ROW, _HEADER_ROW + 1
    for index, heading in enumerate(FIXED, start=1):
        sheet.cell(row=top, column=index, value=heading)
        sheet.merge_cells(start_row=top, start_column=index, end_row=below, end_column=index)
    column = len(FIXED) + 1
    for group in form.groups:
        span = len(group.columns)
        if group.heading is None:
            sheet.cell(row=top, column=column, value=group.columns[0].heading)
            sheet.merge_cells(start_row=top, start_column=column, end_row=below, end_column=column)
        else:
            sheet.cell(row=top, column=column, value=group.heading)
            if span > 1:
                sheet.merge_cells(
                    start_row=top, start_column=column, end_row=top, end_column=column + span - 1
                )
            for offset, leaf in enumerate(group.columns):
                sheet.cell(row=below, column=column + offset, value=leaf.heading)
        column += span
    numbers = below + 1
    for index, label in enumerate(numbering(form), start=1):
        sheet.cell(row=numbers, column=index, value=label).font = Font(italic=True)
    for row_number in range(top, numbers + 1):
        for index in range(1, width + 1):
            cell = sheet.cell(row=row_number, column=index)
            cell.alignment = _CENTER
            cell.border = _BOX
            if row_number < numbers:
                cell.font = bold
    sheet.row_dimensions[below].height = 62
    rates = [len(FIXED) + i for i, c in enumerate(form.columns, start=1) if is_rate(c.heading)]
    row_number = numbers + 1
    for line in [*form.rows, form.total]:
        values: list[Any] = [line.number or None, line.name, *line.figures]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.border = _BOX
            if index in rates:
                cell.number_format = RATE_FORMAT
            if line is form.total:
                cell.font = bold
        row_number += 1
    row_number += 1
    if form.notes:
        sheet.cell(row=row_number, column=1, value="Ghi chú:").font = Font(italic=True, bold=True)
        for note in form.notes:
            row_number += 1
            _merge(sheet, row_number, 1, width, f"- {note}", font=Font(italic=True))
        row_number += 2
    signer_first = max(width - 4, half + 1)
    _merge(
        sheet,
        row_number,
        signer_first,
        width,
        place_and_date(form),
        font=Font(italic=True),
        alignment=Alignment(horizontal="center"),
    )
    row_number += 1
    left = [(MAKER[0], bold), (MAKER[1], Font(italic=True))]
    right = [(SIGNER[0], bold), (SIGNER[1], bold), (SIGNER[2], Font(italic=True))]
    for offset in range(max(len(left), len(right))):
        if offset < len(left):
            text, font = left[offset]
            _merge(sheet, row_number + offset, 1, 3, text, font=font, alignment=_CENTER)
        if offset < len(right):
            text, font = right[offset]
            _merge(
                sheet, row_number + offset, signer_first, width, text, font=font, alignment=_CENTER
            )
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 24
    for index in range(len(FIXED) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    sheet.freeze_panes = f"{get_column_letter(len(FIXED) + 1)}{numbers + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def forms_xlsx(forms: Sequence[FilledForm]) -> bytes:
    """Return the forms as one workbook, a sheet per form named "Mau 7.1" …"""
    book = Workbook()
    for form in forms:
        _form_sheet(book, form)
    del book[book.sheetnames[0]]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9.5, leading=12)
    center = ParagraphStyle("center", parent=body, alignment=TA_CENTER)
    return {
        "body": body,
        "center": center,
        "bold_center": ParagraphStyle("bold_center", parent=center, fontName=fonts.BOLD),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "bold_right": ParagraphStyle(
            "bold_right", parent=body, fontName=fonts.BOLD, alignment=TA_RIGHT
        ),
        "small_right": ParagraphStyle(
            "small_right", parent=body, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
        "title": ParagraphStyle(
            "title", parent=center, fontName=fonts.BOLD, fontSize=12.5, leading=16, spaceBefore=4
        ),
        "head": ParagraphStyle("head", parent=center, fontName=fonts.BOLD, fontSize=7, leading=8.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11),
    }


def _number(value: Figure, rate: bool) -> str:
    if value is None:
        return ""
    if rate:
        # Vietnamese writes a decimal comma (seed 000: "0,31%").
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _table(form: FilledForm, styles: dict[str, ParagraphStyle]) -> Table:
    head, cell = styles["head"], styles["cell"]
    top: list[Any] = [Paragraph(h, head) for h in FIXED]
    below: list[Any] = ["", ""]
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
    ]
    column = len(FIXED)
    for group in form.groups:
        span = len(group.columns)
        if group.heading is None:
            top.append(Paragraph(group.columns[0].heading, head))
            below.append("")
            spans.append(("SPAN", (column, 0), (column, 1)))
        else:
            top += [Paragraph(group.heading, head)] + [""] * (span - 1)
            below += [Paragraph(leaf.heading, head) for leaf in group.columns]
            if span > 1:
                spans.append(("SPAN", (column, 0), (column + span - 1, 0)))
        column += span
    rates = [is_rate(c.heading) for c in form.columns]
    data: list[list[Any]] = [top, below, numbering(form)]
    for line in [*form.rows, form.total]:
        data.append(
            [line.number, Paragraph(line.name, cell)]
            + [_number(v, r) for v, r in zip(line.figures, rates, strict=True)]
        )
    page = landscape(A4)[0] - 24 * mm
    first = (8 * mm, 36 * mm)
    rest = (page - sum(first)) / max(len(form.columns), 1)
    table = Table(data, colWidths=[*first, *([rest] * len(form.columns))], repeatRows=3)
    table.setStyle(
        TableStyle(
            [
                *spans,
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 7.5),
                ("FONT", (0, 2), (-1, 2), fonts.REGULAR, 7),
                ("FONT", (0, -1), (-1, -1), fonts.BOLD, 7.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, 2), "CENTER"),
                ("ALIGN", (0, 3), (0, -1), "CENTER"),
                ("ALIGN", (2, 3), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.93, 0.93, 0.93)),
            ]
        )
    )
    return table


def _heading(form: FilledForm, styles: dict[str, ParagraphStyle]) -> Table:
    left = [
        Paragraph(form.issuer, styles["bold_center"]),
        Paragraph(form.province, styles["center"]),
    ]
    right = [
        Paragraph(f"Mẫu số {form.number}", styles["bold_right"]),
        Paragraph(f"({form.basis})", styles["small_right"]),
    ]
    table = Table([[left, right]], colWidths=[110 * mm, 163 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def signatures(place_and_day: str, bold: ParagraphStyle, center: ParagraphStyle) -> Table:
    """Return the signature block: the maker on the left; the place and date, the chair for
    the commune's People's Committee, signature and seal on the right."""
    rows: list[list[Any]] = [
        ["", Paragraph(f"<i>{escape(place_and_day)}</i>", center)],
        [Paragraph(MAKER[0], bold), Paragraph(SIGNER[0], bold)],
        [Paragraph(f"<i>{MAKER[1]}</i>", center), Paragraph(SIGNER[1], bold)],
        ["", Paragraph(f"<i>{SIGNER[2]}</i>", center)],
    ]
    return Table(rows, colWidths=[120 * mm, 150 * mm])


def landscape_pdf(story: list[Flowable], title: str, vertical_margin: float = 10 * mm) -> bytes:
    """Return ``story`` drawn on A4 landscape pages, reproducibly (the reports' bundles and
    hamlet table too, with their wider top and bottom margins)."""
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=vertical_margin,
        bottomMargin=vertical_margin,
        title=title,
        author="Rà Soát",
        invariant=True,
    ).build(story)
    return out.getvalue()


def _form_flowables(form: FilledForm, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        _heading(form, styles),
        Spacer(1, 3 * mm),
        Paragraph(form.title, styles["title"]),
        Paragraph(period_line(form), styles["center"]),
        Paragraph(f"<i>{form.unit}</i>", styles["right"]),
        Spacer(1, 1.5 * mm),
        _table(form, styles),
        Spacer(1, 2 * mm),
    ]
    if form.notes:
        story.append(Paragraph("<b><i>Ghi chú:</i></b>", styles["note"]))
        story += [Paragraph(f"<i>- {note}</i>", styles["note"]) for note in form.notes]
    story += [
        Spacer(1, 4 * mm),
        signatures(place_and_date(form), styles["bold_center"], styles["center"]),
    ]
    return story


def forms_pdf(forms: Sequence[FilledForm]) -> bytes:
    """Return the forms as a PDF, one form per A4 landscape page (a long form continues
    with its header repeated)."""
    styles = _styles()
    story: list[Flowable] = []
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        story += _form_flowables(form, styles)
    return landscape_pdf(story, "Biểu mẫu báo cáo Phụ lục VII")
