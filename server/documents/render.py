"""Drawing the papers with reportlab: A4, the national heading, tables that split across
pages, the font embedded. Output is byte-for-byte reproducible (``invariant``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
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
from server.documents.content import (
    Application,
    Certificate,
    Decision,
    Line,
    Member,
    Minutes,
    Place,
    PostingList,
)
from shared import vocabulary

_BODY = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=10.5, leading=14)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=10.5)
_CENTER = ParagraphStyle("center", parent=_BODY, alignment=TA_CENTER)
_BOLD_CENTER = ParagraphStyle("bold_center", parent=_CENTER, fontName=fonts.BOLD)
_TITLE = ParagraphStyle(
    "title", parent=_BOLD_CENTER, fontSize=14, leading=18, spaceBefore=8, spaceAfter=6
)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8.5, leading=10.5)
_HEAD_CELL = ParagraphStyle("head_cell", parent=_CELL, fontName=fonts.BOLD, alignment=TA_CENTER)
_SMALL_CENTER = ParagraphStyle("small_center", parent=_SMALL, alignment=TA_CENTER)
# The members' table has eleven columns on a portrait page.
_NARROW_CELL = ParagraphStyle("narrow_cell", parent=_CELL, fontSize=7.5, leading=9)
_NARROW_HEAD = ParagraphStyle(
    "narrow_head", parent=_NARROW_CELL, fontName=fonts.BOLD, alignment=TA_CENTER
)

# The classes, and the outcomes of the application procedures a paper lists beside them.
CLASS_LABELS: dict[str, str] = {
    **{c: label["vi"] for c, label in vocabulary.CLASS_LABELS.items()},
    "low_income_worker": "Có người lao động thu nhập thấp",
    "not_eligible": "Không đủ điều kiện",
}
PROCEDURE_LABELS = {
    "annual": "rà soát hộ nghèo, hộ cận nghèo định kỳ",
    "monthly": "rà soát hộ nghèo, hộ cận nghèo thường xuyên",
    "average_living": "xác định hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp "
    "có mức sống trung bình",
    "low_income_worker": "xác định người lao động có thu nhập thấp",
}
OVERRIDE_MARK = "*"


def _day(value: date) -> str:
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def _heading(place: Place, number: str | None = None) -> Table:
    """Return the two-column heading: issuing body on the left, the national motto right."""
    left = [
        Paragraph(f"UBND {place.commune.upper()}", _BOLD_CENTER),
        Paragraph(place.hamlet.upper() if place.hamlet else place.province, _CENTER),
    ]
    if number:
        left.append(Paragraph(f"Số: {number}", _CENTER))
    right = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _BOLD_CENTER),
        Paragraph("Độc lập - Tự do - Hạnh phúc", _BOLD_CENTER),
    ]
    table = Table([[left, right]], colWidths=[75 * mm, 105 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    cell: ParagraphStyle = _CELL,
    head: ParagraphStyle = _HEAD_CELL,
) -> Table:
    data: list[list[Any]] = [[Paragraph(h, head) for h in headers]]
    data += [[Paragraph(str(value), cell) for value in row] for row in rows]
    if not rows:
        data.append([Paragraph("(không có)", cell)] + [""] * (len(headers) - 1))
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _class(line: Line) -> str:
    label = CLASS_LABELS.get(line.household_class, line.household_class)
    return f"{label} {OVERRIDE_MARK}" if line.overridden else label


def _household_rows(lines: Sequence[Line], with_hamlet: bool) -> list[list[str]]:
    rows = []
    for index, line in enumerate(lines, start=1):
        row = [str(index), line.code, line.head_name]
        if with_hamlet:
            row.append(line.hamlet)
        row += [_class(line), line.change, line.note]
        rows.append(row)
    return rows


def _address(line: Line) -> str:
    """Return the household's address with its hamlet, named once."""
    if line.hamlet in line.address:
        return line.address
    return f"{line.address}, {line.hamlet}" if line.address else line.hamlet


def _override_note(lines: Sequence[Line]) -> list[Flowable]:
    if not any(line.overridden for line in lines):
        return []
    return [
        Spacer(1, 2 * mm),
        Paragraph(
            f"({OVERRIDE_MARK}) Kết quả khác với kết quả tính theo chuẩn; lý do được ghi "
            "trong hồ sơ rà soát.",
            _SMALL,
        ),
    ]


def _signatures(left: str, right: str, names: tuple[str, str] | None = None) -> Table:
    """Return two signature blocks side by side; with ``names``, room to sign above each
    signer's printed name."""
    rows: list[list[Flowable | str]] = [
        [Paragraph(left, _BOLD_CENTER), Paragraph(right, _BOLD_CENTER)],
        [Paragraph("(Ký, ghi rõ họ tên)", _CENTER), Paragraph("(Ký, ghi rõ họ tên)", _CENTER)],
    ]
    heights: list[float | None] = [None, None]
    if names is not None:
        rows += [["", ""], [Paragraph(name, _BOLD_CENTER) for name in names]]
        heights += [18 * mm, None]
    return Table(rows, colWidths=[90 * mm, 90 * mm], rowHeights=heights)


def _household(head: str, line: Line) -> list[Flowable]:
    """Return the lines naming a household on its own paper: head, code, address."""
    return [
        Paragraph(f"{head}: <b>{line.head_name}</b>", _BODY),
        Paragraph(f"Mã hộ: {line.code}", _BODY),
        Paragraph(f"Địa chỉ: {_address(line)}", _BODY),
    ]


def _member_table(members: Sequence[Member]) -> Table:
    """Return the members with the columns Decision 24/2021's Forms 01, 03 and 04 ask for."""
    table = _table(
        [
            "TT",
            "Họ và tên",
            "Năm sinh",
            "Quan hệ với chủ hộ",
            "Dân tộc",
            "Số định danh cá nhân",
            "Nơi thường trú, nơi ở hiện tại",
            "Tình trạng",
            "Không có khả năng lao động",
            "Trợ cấp xã hội hằng tháng",
            "Người có công với cách mạng",
        ],
        [
            [
                str(i),
                m.full_name,
                str(m.birth_year or ""),
                m.relation,
                m.ethnicity,
                m.national_id,
                m.residence,
                m.activity,
                m.no_labour_capacity,
                m.social_allowance,
                m.revolutionary_merit,
            ]
            for i, m in enumerate(members, start=1)
        ],
        [7, 24, 12, 14, 12, 25, 24, 18, 13, 17, 14],
        _NARROW_CELL,
        _NARROW_HEAD,
    )
    padding = [(side, (0, 0), (-1, -1), 2) for side in ("LEFTPADDING", "RIGHTPADDING")]
    table.setStyle(TableStyle(padding))
    return table


def _build(story: list[Flowable], title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Rà Soát",
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()


_DEFAULT_CITATION = (
    "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều "
    "giai đoạn 2021-2025"
)


def _standard(statement: str) -> list[Flowable]:
    """Return the line stating the list's year and standard, if the paper has one."""
    return [Paragraph(statement, _SMALL_CENTER)] if statement else []


def minutes(paper: Minutes) -> bytes:
    """Return the hamlet meeting's minutes, one copy per ``paper.copies`` entry."""
    fonts.register()
    story: list[Flowable] = []
    attendees = paper.households_represented + paper.others_present
    for number, copy in enumerate(paper.copies):
        if number:
            story.append(PageBreak())
        story += [
            _heading(paper.place),
            Paragraph(copy, _SMALL),
            Paragraph("BIÊN BẢN HỌP DÂN", _TITLE),
            Paragraph(
                f"Về việc thống nhất kết quả rà soát hộ nghèo, hộ cận nghèo năm {paper.year}",
                _CENTER,
            ),
            *_standard(paper.standard),
            Spacer(1, 4 * mm),
            Paragraph(f"Thời gian: {_day(paper.held_on)}. Địa điểm: {paper.place.hamlet}.", _BODY),
            Paragraph(f"Chủ trì: {paper.chair_name}, Trưởng thôn.", _BODY),
            Paragraph(f"Thư ký: {paper.secretary_name or '—'}.", _BODY),
            Paragraph(
                f"Giám sát: {paper.front_supervisor}, Ủy ban Mặt trận Tổ quốc Việt Nam xã.", _BODY
            ),
            Paragraph(
                f"Tham dự: {paper.households_represented} đại diện hộ gia đình và "
                f"{paper.others_present} người khác; tổng cộng {attendees} người.",
                _BODY,
            ),
            Spacer(1, 3 * mm),
            Paragraph(
                "Kết quả biểu quyết (kết quả được thống nhất khi có từ 50% số người tham dự "
                "trở lên đồng ý):",
                _BODY,
            ),
            Spacer(1, 2 * mm),
            _table(
                ["TT", "Mã hộ", "Chủ hộ", "Kết quả rà soát", "Biến động", "Đồng ý", "Kết luận"],
                [
                    [
                        str(i),
                        v.line.code,
                        v.line.head_name,
                        _class(v.line),
                        v.line.change,
                        f"{v.agree}/{v.attendees} ({100 * v.agree / v.attendees:.0f}%)",
                        "Thống nhất" if v.passed else "Không thống nhất: rà soát lại",
                    ]
                    for i, v in enumerate(paper.votes, start=1)
                ],
                [9, 28, 33, 30, 26, 22, 32],
            ),
            *_override_note([v.line for v in paper.votes]),
            Spacer(1, 8 * mm),
            # Every signer by role, with the name the meeting recorded; the households'
            # representatives sign and write their names at the meeting.
            _signatures(
                "THƯ KÝ", "CHỦ TRÌ (TRƯỞNG THÔN)", (paper.secretary_name, paper.chair_name)
            ),
            Spacer(1, 6 * mm),
            _signatures(
                "ĐẠI DIỆN BAN CÔNG TÁC MẶT TRẬN",
                "ĐẠI DIỆN CÁC HỘ DÂN",
                (paper.front_supervisor, ""),
            ),
        ]
    return _build(story, f"Biên bản họp dân {paper.place.hamlet} {paper.year}")


def posting_list(paper: PostingList) -> bytes:
    """Return the posted list: at a hamlet, or at the commune office with every hamlet."""
    fonts.register()
    where = paper.place.hamlet or f"trụ sở UBND {paper.place.commune}"
    with_hamlet = paper.place.hamlet is None
    headers = ["TT", "Mã hộ", "Chủ hộ", *(["Thôn"] if with_hamlet else []), "Kết quả"]
    headers += ["Biến động", "Ghi chú"]
    widths = [9, 28, 34, 28, 30, 28, 23] if with_hamlet else [9, 28, 38, 30, 28, 47]
    story: list[Flowable] = [
        _heading(paper.place),
        Paragraph("DANH SÁCH NIÊM YẾT CÔNG KHAI", _TITLE),
        Paragraph(
            f"Kết quả {PROCEDURE_LABELS.get(paper.procedure, paper.procedure)} năm {paper.year}",
            _CENTER,
        ),
        Paragraph(
            f"Niêm yết tại {where} từ {_day(paper.starts_on)} đến hết {_day(paper.ends_on)}",
            _CENTER,
        ),
        *_standard(paper.standard),
        Spacer(1, 4 * mm),
        _table(headers, _household_rows(paper.lines, with_hamlet), widths),
        *_override_note(paper.lines),
    ]
    if paper.rechecks:
        story += [
            Spacer(1, 5 * mm),
            Paragraph("KẾT QUẢ PHÚC TRA", _BOLD_CENTER),
            Spacer(1, 2 * mm),
            _table(
                ["TT", "Mã hộ", "Chủ hộ", "Ngày khiếu nại", "Trước", "Sau phúc tra", "Ghi chú"],
                [
                    [
                        str(i),
                        r.line.code,
                        r.line.head_name,
                        r.raised_on.strftime("%d/%m/%Y"),
                        CLASS_LABELS.get(r.before, r.before),
                        CLASS_LABELS.get(r.after, r.after),
                        r.note,
                    ]
                    for i, r in enumerate(paper.rechecks, start=1)
                ],
                [9, 28, 32, 22, 26, 26, 37],
            ),
        ]
    story += [
        Spacer(1, 5 * mm),
        Paragraph(
            "Mọi ý kiến, khiếu nại xin gửi Ủy ban nhân dân xã trong thời gian niêm yết.", _BODY
        ),
    ]
    return _build(story, f"Danh sách niêm yết {where} {paper.year}")


def decision(paper: Decision) -> bytes:
    """Return Form 02: the decision recognising the lists, one section per list."""
    fonts.register()
    story: list[Flowable] = [
        _heading(paper.place, paper.number),
        Paragraph(f"{paper.place.commune}, {_day(paper.decided_on)}", _CENTER),
        Paragraph("QUYẾT ĐỊNH", _TITLE),
        Paragraph(
            f"Về việc công nhận kết quả {PROCEDURE_LABELS.get(paper.procedure, paper.procedure)} "
            f"năm {paper.year}",
            _BOLD_CENTER,
        ),
        Paragraph(f"CHỦ TỊCH ỦY BAN NHÂN DÂN {paper.place.commune.upper()}", _BOLD_CENTER),
        *_standard(paper.standard),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Căn cứ {paper.citation or _DEFAULT_CITATION}; Quyết định số 24/2021/QĐ-TTg ngày "
            "16/7/2021 của Thủ tướng Chính phủ quy định quy trình rà soát hộ nghèo, hộ cận "
            "nghèo; xét kết quả rà soát, họp dân, niêm yết công khai và phúc tra,",
            _BODY,
        ),
        Paragraph("QUYẾT ĐỊNH:", _BOLD_CENTER),
        Paragraph(
            "Điều 1. Công nhận danh sách các hộ gia đình theo các danh sách kèm theo Quyết định "
            "này:",
            _BODY,
        ),
    ]
    for number, section in enumerate(paper.sections, start=1):
        story += [
            Paragraph(f"{number}. {section.title}: {len(section.lines)} hộ.", _BODY),
        ]
    story += [
        Paragraph(
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký. Các hộ có tên tại Điều 1 được "
            "hưởng các chính sách theo quy định.",
            _BODY,
        ),
        Spacer(1, 6 * mm),
        _signatures("", "CHỦ TỊCH"),
    ]
    for section in paper.sections:
        story += [
            PageBreak(),
            Paragraph(section.title.upper(), _TITLE),
            Paragraph(f"(Kèm theo Quyết định số {paper.number} {_day(paper.decided_on)})", _CENTER),
            Spacer(1, 3 * mm),
            _table(
                ["TT", "Mã hộ", "Chủ hộ", "Thôn", "Kết quả", "Biến động", "Ghi chú"],
                _household_rows(section.lines, True),
                [9, 28, 34, 28, 30, 28, 23],
            ),
            *_override_note(section.lines),
        ]
    return _build(story, f"Quyết định {paper.number}")


def certificates(papers: Sequence[Certificate]) -> bytes:
    """Return Form 03, one page per household's certificate."""
    fonts.register()
    story: list[Flowable] = []
    for index, paper in enumerate(papers):
        if index:
            story.append(PageBreak())
        label = CLASS_LABELS.get(paper.line.household_class, paper.line.household_class).upper()
        story += [
            _heading(paper.place, paper.number),
            Paragraph(f"GIẤY CHỨNG NHẬN {label}", _TITLE),
            Paragraph(f"Năm {paper.year}", _BOLD_CENTER),
            *_standard(paper.standard),
            Spacer(1, 4 * mm),
            Paragraph(f"Chủ tịch Ủy ban nhân dân {paper.place.commune} chứng nhận:", _BODY),
            *_household("Hộ gia đình ông/bà", paper.line),
            Paragraph(
                f"Là {label.lower()} năm {paper.year} theo Quyết định số {paper.decision_number} "
                f"{_day(paper.decided_on)}.",
                _BODY,
            ),
            Spacer(1, 3 * mm),
            _member_table(paper.members),
            Spacer(1, 3 * mm),
            Paragraph(
                "Cấp mới." if paper.kind == "issued" else "Xác nhận (đóng dấu) cho năm này.", _BODY
            ),
            Paragraph(f"{paper.place.commune}, {_day(paper.issued_on)}", _CENTER),
            Spacer(1, 4 * mm),
            _signatures("", "CHỦ TỊCH"),
        ]
    return _build(story, "Giấy chứng nhận")


APPLICATION_TITLES = {
    "form01": "GIẤY ĐỀ NGHỊ XÉT DUYỆT HỘ NGHÈO, HỘ CẬN NGHÈO",
    "form04": "GIẤY ĐỀ NGHỊ CÔNG NHẬN HỘ THOÁT NGHÈO, HỘ THOÁT CẬN NGHÈO",
}


def application(paper: Application) -> bytes:
    """Return Form 01 or Form 04: the household's application with its members, for the
    household to check and sign."""
    fonts.register()
    story: list[Flowable] = [
        _heading(paper.place),
        Paragraph(APPLICATION_TITLES[paper.form], _TITLE),
        Paragraph(f"Năm {paper.year}", _BOLD_CENTER),
        *_standard(paper.standard),
        Spacer(1, 4 * mm),
        Paragraph(f"Kính gửi: Ban chỉ đạo rà soát {paper.place.commune}", _BODY),
        *_household("Họ và tên chủ hộ", paper.line),
        Paragraph("Thông tin các thành viên của hộ:", _BODY),
        Spacer(1, 2 * mm),
        _member_table(paper.members),
        Spacer(1, 3 * mm),
        Paragraph(
            "Thuộc nhóm đối tượng: " + ("; ".join(paper.special_groups) or "không thuộc nhóm nào"),
            _BODY,
        ),
    ]
    if paper.form == "form01":
        causes = "; ".join(paper.poverty_causes) or "chưa ghi nhận"
        story.append(Paragraph(f"Nguyên nhân nghèo: {causes}", _BODY))
        request = (
            "Hộ gia đình đề nghị được xét duyệt, đưa vào danh sách hộ nghèo, hộ cận nghèo "
            f"năm {paper.year}."
        )
    else:
        request = (
            "Hộ gia đình tự nguyện đề nghị được công nhận thoát nghèo, thoát cận nghèo "
            f"năm {paper.year}."
        )
    story += [
        Paragraph(request, _BODY),
        Paragraph("Tôi xin cam đoan thông tin trên là đúng sự thật.", _BODY),
        Spacer(1, 4 * mm),
        Paragraph(f"{paper.place.commune}, ngày ... tháng ... năm {paper.year}", _CENTER),
        _signatures("XÁC NHẬN CỦA TRƯỞNG THÔN", "NGƯỜI ĐỀ NGHỊ"),
    ]
    return _build(story, "Giấy đề nghị")
