"""The reports as files: CSV and plain data for the hamlet table, an XLSX workbook (numbers
as numbers, one sheet per section, the charts embedded) and a PDF (A4 landscape, the font
embedded) for the hamlet table alone or a whole periodic bundle."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from server.documents import fonts, labels
from server.reports import charts, compute
from server.reports.appendix_vii_files import landscape_pdf
from server.reports.service import BundleData, Deprivations, ListedHousehold, Targets
from shared import vocabulary

HAMLET_HEADER = (
    "TT",
    "Thôn, khu phố",
    "Tổng số hộ",
    "Hộ nghèo đầu năm",
    "Tỷ lệ (%)",
    "Hộ cận nghèo đầu năm",
    "Tỷ lệ (%)",
    "Hộ nghèo hiện nay",
    "Tỷ lệ (%)",
    "Hộ cận nghèo hiện nay",
    "Tỷ lệ (%)",
    "Thoát nghèo",
    "Thoát cận nghèo",
    "Nghèo phát sinh",
    "Cận nghèo phát sinh",
    "Tái nghèo",
)
CLASS_LABELS: dict[str, str] = {c: label["vi"] for c, label in vocabulary.CLASS_LABELS.items()}


def _groups_sentence(d: Deprivations) -> str:
    """Return the commune's poor and near-poor by special group, cause and the head's ethnic
    group as one paragraph; a group nothing was recorded for reads "chưa ghi nhận"."""

    def counted(label: str, g: compute.GroupCounts) -> str:
        return f"{label}: {g.poor} hộ nghèo, {g.near_poor} hộ cận nghèo"

    groups = [
        f"{labels.choice('special_groups', g.group)}: chưa ghi nhận"
        if g.group in d.unrecorded_groups
        else counted(labels.choice("special_groups", g.group), g)
        for g in d.commune.groups
    ]
    causes = [counted(labels.choice("poverty_causes", g.group), g) for g in d.causes]
    peoples = [counted(labels.ethnicity(g.group) or "chưa ghi nhận", g) for g in d.ethnicities]
    sentence = "Phân theo nhóm: " + "; ".join(groups) + "."
    if causes:
        sentence += " Nguyên nhân nghèo: " + "; ".join(causes) + "."
    if peoples:
        sentence += " Theo dân tộc của chủ hộ: " + "; ".join(peoples) + "."
    return sentence


def hamlet_row(number: int | str, row: compute.HamletRow) -> list[Any]:
    """Return one line of the hamlet table as the CSV, the workbook and the PDF print it."""
    return [
        number,
        f"{row.name} ({row.note})" if row.note else row.name,
        row.now.households,
        row.start.poor,
        row.start.poor_rate,
        row.start.near_poor,
        row.start.near_poor_rate,
        row.now.poor,
        row.now.poor_rate,
        row.now.near_poor,
        row.now.near_poor_rate,
        row.changes.exited_poor,
        row.changes.exited_near_poor,
        row.changes.newly_poor,
        row.changes.newly_near_poor,
        row.changes.fell_back,
    ]


def hamlet_lines(table: compute.HamletTable) -> list[list[Any]]:
    """Return the table's lines: one per hamlet, then the commune's total."""
    lines = [hamlet_row(n, row) for n, row in enumerate(table.rows, start=1)]
    lines.append(hamlet_row("", dataclasses.replace(table.total, name="Tổng cộng")))
    return lines


def to_csv(table: compute.HamletTable) -> str:
    """Return the hamlet table as CSV (UTF-8 text, rates with a decimal point)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HAMLET_HEADER)
    writer.writerows(hamlet_lines(table))
    return out.getvalue()


def plain(value: Any) -> Any:
    """Return ``value`` (dataclasses, dates, tuples) as JSON-ready data; counts carry their
    rates."""
    if isinstance(value, compute.ClassCounts):
        return {
            "households": value.households,
            "poor": value.poor,
            "poor_rate": value.poor_rate,
            "near_poor": value.near_poor,
            "near_poor_rate": value.near_poor_rate,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# ---- XLSX -----------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _sheet(book: Workbook, title: str, heading: str, header: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(title)
    assert isinstance(sheet, Worksheet)
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = _BOLD
        cell.alignment = _WRAP
    sheet.freeze_panes = "A3"
    return sheet


def _rates(sheet: Worksheet, columns: Sequence[int]) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
            cell.number_format = "0.00"


def _hamlet_sheet(book: Workbook, table: compute.HamletTable) -> None:
    sheet = _sheet(
        book,
        "Bang thon",
        f"Hộ nghèo, hộ cận nghèo theo thôn, khu phố — {table.commune_name} — năm {table.year}",
        HAMLET_HEADER,
    )
    for line in hamlet_lines(table):
        sheet.append(line)
    _rates(sheet, (5, 7, 9, 11))
    sheet.column_dimensions["B"].width = 24


def _targets_sheet(book: Workbook, targets: Targets) -> None:
    sheet = _sheet(
        book,
        "Chi tieu",
        f"Chỉ tiêu giảm nghèo năm {targets.year} và kết quả",
        (
            "Địa bàn",
            "Loại hộ",
            "Đầu năm",
            "Tỷ lệ (%)",
            "Chỉ tiêu cuối năm",
            "Tỷ lệ (%)",
            "Hiện nay",
            "Tỷ lệ (%)",
            "Còn phải giảm",
            "Đạt",
        ),
    )
    places = [("Toàn xã", targets.poor, targets.near_poor)] + [
        (h.name, h.poor, h.near_poor) for h in targets.hamlets
    ]
    for place, *progress in places:
        for p in progress:
            sheet.append(
                [
                    place,
                    CLASS_LABELS[p.household_class],
                    p.start,
                    p.start_rate,
                    p.target,
                    p.target_rate,
                    p.now,
                    p.now_rate,
                    p.remaining,
                    None if p.met is None else ("Đạt" if p.met else "Chưa đạt"),
                ]
            )
    _rates(sheet, (4, 6, 8))
    sheet.column_dimensions["A"].width = 24
    services = _sheet(
        book,
        "Dich vu",
        f"Chỉ tiêu tiếp cận dịch vụ xã hội cơ bản năm {targets.year}",
        ("Chỉ tiêu", "Đơn vị", "Chỉ tiêu (%)", "Tổng số", "Số đạt", "Đạt được (%)", "Đạt"),
    )
    for s in targets.services:
        services.append(
            [
                s.target.title,
                vocabulary.TARGET_UNIT_LABELS[s.target.unit]["vi"],
                s.target.percent,
                s.total,
                s.reached,
                s.percent,
                "Đạt" if s.met else "Chưa đạt",
            ]
        )
    _rates(services, (3, 6))
    services.column_dimensions["A"].width = 44


def _deprivation_sheet(book: Workbook, found: Deprivations) -> None:
    sheet = _sheet(
        book,
        "Thieu hut",
        "Số hộ và tỷ lệ thiếu hụt từng chỉ số trong hộ nghèo, hộ cận nghèo",
        (
            "Địa bàn",
            "Chỉ số",
            "Hộ nghèo thiếu hụt",
            "Tỷ lệ (%)",
            "Hộ cận nghèo thiếu hụt",
            "Tỷ lệ (%)",
        ),
    )
    for stats in [found.commune, *found.hamlets]:
        for r in stats.indicators:
            sheet.append([stats.area, r.title, r.poor, r.poor_rate, r.near_poor, r.near_poor_rate])
    _rates(sheet, (4, 6))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 38
    summary = _sheet(
        book,
        "M0",
        "Chỉ số nghèo đa chiều Alkire–Foster (M0 = H × A)",
        ("Địa bàn", "k", "d", "Số hộ", "Hộ thiếu hụt ≥ k", "H", "A", "M0"),
    )
    for stats in [found.commune, *found.hamlets]:
        a = stats.adjusted
        summary.append(
            [
                stats.area,
                a.k,
                a.d,
                a.households,
                a.multidimensionally_poor,
                a.headcount,
                a.intensity,
                a.m0,
            ]
        )
    for column in (6, 7, 8):
        for (cell,) in summary.iter_rows(min_row=3, min_col=column, max_col=column):
            cell.number_format = "0.0000"
    summary.column_dimensions["A"].width = 24
    groups = _sheet(
        book,
        "Nhom",
        "Phân theo nhóm đối tượng và nguyên nhân nghèo",
        ("Nhóm", "Hộ nghèo", "Hộ cận nghèo"),
    )
    for group in found.commune.groups:
        label = labels.choice("special_groups", group.group)
        if group.group in found.unrecorded_groups:
            groups.append([label, "chưa ghi nhận", "chưa ghi nhận"])
        else:
            groups.append([label, group.poor, group.near_poor])
    for cause in found.causes:
        label = labels.choice("poverty_causes", cause.group)
        groups.append([f"Nguyên nhân: {label}", cause.poor, cause.near_poor])
    for ethnicity in found.ethnicities:
        name = labels.ethnicity(ethnicity.group) or "chưa ghi nhận"
        groups.append([f"Dân tộc của chủ hộ: {name}", ethnicity.poor, ethnicity.near_poor])
    groups.column_dimensions["A"].width = 40


def _list_sheet(book: Workbook, listed: list[ListedHousehold]) -> None:
    sheet = _sheet(
        book,
        "Danh sach",
        "Danh sách hộ nghèo, hộ cận nghèo và thành viên",
        (
            "Mã hộ",
            "Thôn",
            "Loại hộ",
            "Chủ hộ",
            "Địa chỉ",
            "Thành viên",
            "Ngày sinh",
            "Giới tính",
            "Quan hệ",
            "Số định danh",
        ),
    )
    for household in listed:
        for member in household.members:
            sheet.append(
                [
                    household.code,
                    household.hamlet,
                    CLASS_LABELS[household.household_class],
                    household.head_name,
                    household.address,
                    member.full_name,
                    member.birth_date,
                    labels.choice("sex", member.sex),
                    labels.choice("relation", member.relation),
                    member.national_id,
                ]
            )
    for column in "ABDEF":
        sheet.column_dimensions[column].width = 22


def _trend_sheet(book: Workbook, years: Sequence[tuple[int, compute.ClassCounts]]) -> None:
    sheet = _sheet(
        book,
        "Xu huong",
        "Hộ nghèo, hộ cận nghèo qua các năm",
        ("Năm", "Tổng số hộ", "Hộ nghèo", "Tỷ lệ (%)", "Hộ cận nghèo", "Tỷ lệ (%)"),
    )
    for year, c in years:
        sheet.append([year, c.households, c.poor, c.poor_rate, c.near_poor, c.near_poor_rate])
    _rates(sheet, (4, 6))


def _chart_sheet(book: Workbook, images: Sequence[bytes]) -> None:
    sheet = book.create_sheet("Bieu do")
    row = 1
    for png in images:
        sheet.add_image(SheetImage(io.BytesIO(png)), f"A{row}")
        row += 24


def _save(book: Workbook) -> bytes:
    del book[book.sheetnames[0]]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_xlsx(table: compute.HamletTable) -> bytes:
    """Return the hamlet table as a one-sheet workbook."""
    book = Workbook()
    _hamlet_sheet(book, table)
    return _save(book)


def bundle_charts(data: BundleData) -> list[bytes]:
    """Return the bundle's charts: rates by hamlet, indicator deprivation, trend."""
    images = []
    if data.table is not None:
        images.append(charts.rates_by_hamlet(data.table))
    if data.deprivations is not None:
        images.append(charts.indicator_deprivation(data.deprivations.commune))
    if data.trend:
        images.append(charts.trend(data.trend))
    return images


def bundle_xlsx(data: BundleData, images: Sequence[bytes]) -> bytes:
    """Return the periodic report as a workbook, one sheet per section."""
    book = Workbook()
    cover = book.create_sheet("Bao cao")
    cover.append([data.bundle.title])
    cover.append([data.commune])
    cover.append(["Hạn nộp", data.bundle.due])
    cover["A1"].font = Font(bold=True, size=12)
    if data.table is not None:
        _hamlet_sheet(book, data.table)
    if data.targets is not None:
        _targets_sheet(book, data.targets)
    if data.deprivations is not None:
        _deprivation_sheet(book, data.deprivations)
    if data.lists is not None:
        _list_sheet(book, data.lists)
    _trend_sheet(book, data.trend)
    _chart_sheet(book, images)
    return _save(book)


# ---- PDF ------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=10, leading=13)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts.BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            spaceAfter=6,
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=fonts.BOLD, fontSize=11, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
        "head": ParagraphStyle(
            "head", parent=body, fontName=fonts.BOLD, fontSize=7.5, leading=9, alignment=TA_CENTER
        ),
    }


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        # Vietnamese writes a decimal comma (seed 000: "0,31%").
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def _table(
    styles: dict[str, ParagraphStyle],
    header: Sequence[str],
    lines: Sequence[Sequence[Any]],
    widths: Sequence[float],
    bold_last: bool = False,
) -> Table:
    data: list[list[Paragraph | str]] = [[Paragraph(h, styles["head"]) for h in header]]
    for line in lines:
        data.append(
            [Paragraph(v, styles["cell"]) if isinstance(v, str) else _number(v) for v in line]
        )
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
    ]
    if bold_last:
        style.append(("FONT", (0, -1), (-1, -1), fonts.BOLD, 7.5))
    table.setStyle(TableStyle(style))
    return table


def _heading(
    styles: dict[str, ParagraphStyle], commune: str, title: str, due: str
) -> list[Flowable]:
    return [
        Paragraph(f"ỦY BAN NHÂN DÂN {commune.upper()}", styles["body"]),
        Spacer(1, 4 * mm),
        Paragraph(title, styles["title"]),
        Paragraph(due, ParagraphStyle("due", parent=styles["body"], alignment=TA_CENTER)),
        Spacer(1, 3 * mm),
    ]


def _hamlet_flowables(
    styles: dict[str, ParagraphStyle], table: compute.HamletTable
) -> list[Flowable]:
    lines = [[line[0], line[1], *line[2:]] for line in hamlet_lines(table)]
    widths = [8, 36, *([16] * 14)]
    return [
        Paragraph(
            f"Hộ nghèo, hộ cận nghèo theo thôn, khu phố — năm {table.year}", styles["heading"]
        ),
        _table(styles, HAMLET_HEADER, lines, widths, bold_last=True),
    ]


def _build(flowables: list[Flowable], title: str) -> bytes:
    return landscape_pdf(flowables, title, vertical_margin=12 * mm)


def table_pdf(table: compute.HamletTable) -> bytes:
    """Return the hamlet table as a one-page PDF (A4 landscape)."""
    styles = _styles()
    title = f"BẢNG TỔNG HỢP HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {table.year}"
    flowables = _heading(styles, table.commune_name, title, "")
    flowables += _hamlet_flowables(styles, table)
    return _build(flowables, title)


def _image(png: bytes, width_mm: float) -> Image:
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth = width_mm * mm
    image.drawHeight = width_mm * ratio * mm
    return image


def bundle_pdf(data: BundleData, images: Sequence[bytes]) -> bytes:
    """Return the periodic report as a PDF: each section, then the charts."""
    styles = _styles()
    due = f"Hạn nộp: {data.bundle.due.strftime('%d/%m/%Y')}"
    flowables = _heading(styles, data.commune, data.bundle.title.upper(), due)
    if data.table is not None:
        flowables += _hamlet_flowables(styles, data.table)
    if data.targets is not None:
        t = data.targets
        lines = [
            [
                place,
                CLASS_LABELS[p.household_class],
                p.start,
                p.start_rate,
                p.target,
                p.target_rate,
                p.now,
                p.now_rate,
                "—" if p.met is None else ("Đạt" if p.met else "Chưa đạt"),
            ]
            for place, p in [("Toàn xã", t.poor), ("Toàn xã", t.near_poor)]
        ]
        flowables += [
            Paragraph("Chỉ tiêu giảm nghèo và kết quả", styles["heading"]),
            _table(
                styles,
                ("Địa bàn", "Loại hộ", "Đầu năm", "%", "Chỉ tiêu", "%", "Hiện nay", "%", "Đạt"),
                lines,
                [40, 30, 20, 18, 20, 18, 20, 18, 22],
            ),
            Paragraph("Chỉ tiêu tiếp cận dịch vụ xã hội cơ bản", styles["heading"]),
            _table(
                styles,
                ("Chỉ tiêu", "Đơn vị", "Chỉ tiêu (%)", "Tổng số", "Số đạt", "Đạt được (%)", "Đạt"),
                [
                    [
                        s.target.title,
                        vocabulary.TARGET_UNIT_LABELS[s.target.unit]["vi"],
                        s.target.percent,
                        s.total,
                        s.reached,
                        s.percent,
                        "Đạt" if s.met else "Chưa đạt",
                    ]
                    for s in t.services
                ],
                [80, 18, 22, 18, 18, 24, 20],
            ),
        ]
    if data.deprivations is not None:
        d = data.deprivations
        a = d.commune.adjusted
        flowables += [
            Paragraph(
                "Thiếu hụt các chỉ số trong hộ nghèo, hộ cận nghèo (toàn xã)", styles["heading"]
            ),
            _table(
                styles,
                ("Chỉ số", "Hộ nghèo thiếu hụt", "%", "Hộ cận nghèo thiếu hụt", "%"),
                [
                    [r.title, r.poor, r.poor_rate, r.near_poor, r.near_poor_rate]
                    for r in d.commune.indicators
                ],
                [80, 30, 20, 34, 20],
            ),
            Paragraph(
                f"Alkire–Foster (k = {a.k}/{a.d}): H = {_number(a.headcount * 100)} %, "
                f"A = {_number(a.intensity * 100)} %, M0 = H × A = {a.m0:.4f}".replace(".", ","),
                styles["body"],
            ),
            Paragraph(_groups_sentence(d), styles["body"]),
        ]
    if data.lists is not None:
        flowables += [
            PageBreak(),
            Paragraph("Danh sách hộ nghèo, hộ cận nghèo", styles["heading"]),
            _table(
                styles,
                ("TT", "Mã hộ", "Thôn", "Loại hộ", "Chủ hộ", "Số nhân khẩu", "Thành viên"),
                [
                    [
                        n,
                        h.code,
                        h.hamlet,
                        CLASS_LABELS[h.household_class],
                        h.head_name,
                        len(h.members),
                        ", ".join(m.full_name for m in h.members),
                    ]
                    for n, h in enumerate(data.lists, start=1)
                ],
                [10, 30, 30, 24, 36, 18, 120],
            ),
        ]
    if images:
        flowables += [PageBreak(), Paragraph("Biểu đồ", styles["heading"])]
        flowables += [_image(png, 170) for png in images]
    return _build(flowables, data.bundle.title)
