"""Form 01 of Decision 24/2021/QĐ-TTg (Giấy đề nghị xét duyệt hộ nghèo, hộ cận nghèo), filled
in with the self-check's answers, to print and take to the commune office.

What the page did not ask (citizen identity numbers, ethnicity) is left as dotted lines for the
household to write by hand: the paper is theirs to sign, and the commune checks it.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from server.documents import fonts
from server.geography.models import Hamlet
from server.selfcheck.questions import LABELS, Answers

_BODY = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=11, leading=16)
_CENTER = ParagraphStyle("center", parent=_BODY, alignment=TA_CENTER)
_BOLD_CENTER = ParagraphStyle("bold_center", parent=_CENTER, fontName=fonts.BOLD)
_TITLE = ParagraphStyle("title", parent=_BOLD_CENTER, fontSize=13, leading=18, spaceBefore=10)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=9, leading=11)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName=fonts.BOLD, alignment=TA_CENTER)
_DOTS = "…………………………"
# The papers are Vietnamese whatever the page's language: the commune files them.
_RELATIONS = {
    "head": "Chủ hộ",
    "spouse": "Vợ/chồng",
    "child": "Con",
    "parent": "Bố/mẹ",
    "grandchild": "Cháu",
    "sibling": "Anh/chị/em",
    "other": "Khác",
}
_SEX = {"male": "Nam", "female": "Nữ"}
assert set(_RELATIONS) == set(LABELS["relation"])
assert set(_SEX) == set(LABELS["sex"])


def _born(member: dict[str, Any]) -> str:
    if member.get("birth_date"):
        return date.fromisoformat(member["birth_date"]).strftime("%d/%m/%Y")
    return str(member.get("birth_year") or _DOTS)


def _or_dots(text: str) -> str:
    # Paragraphs read a little markup: what the household wrote is text, never markup.
    return escape(text) if text else _DOTS


def _residence(answers: Answers, hamlet: Hamlet | None) -> str:
    parts = [answers.get("address")]
    if hamlet is not None:
        parts += [hamlet.name, hamlet.commune.name]
    return _or_dots(", ".join(part for part in parts if part))


def form_01(
    answers: Answers, document: dict[str, Any], hamlet: Hamlet | None, today: date, list_year: int
) -> bytes:
    """Return Form 01 as a PDF: the request, the applicant and the member table."""
    fonts.register()
    members = document["members"]
    head = members[0]
    commune = escape(hamlet.commune.name) if hamlet else _DOTS
    story: list[Flowable] = [
        Paragraph("Mẫu số 01", ParagraphStyle("form", parent=_BODY, alignment=2)),
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _BOLD_CENTER),
        Paragraph("Độc lập - Tự do - Hạnh phúc", _BOLD_CENTER),
        Paragraph("GIẤY ĐỀ NGHỊ", _TITLE),
        Paragraph("Xét duyệt hộ nghèo, hộ cận nghèo năm " + str(list_year), _BOLD_CENTER),
        Spacer(1, 6 * mm),
        Paragraph(f"Kính gửi: Ủy ban nhân dân {commune}", _CENTER),
        Spacer(1, 4 * mm),
        Paragraph(f"Họ và tên: <b>{_or_dots(answers.get('m0_name'))}</b>", _BODY),
        Paragraph(
            f"Ngày sinh: {_born(head)}&nbsp;&nbsp;&nbsp; Giới tính: "
            f"{_SEX.get(head.get('sex', ''), _DOTS)}",
            _BODY,
        ),
        Paragraph(f"Số định danh cá nhân/Căn cước công dân: {_DOTS}{_DOTS}", _BODY),
        Paragraph(f"Nơi cư trú: {_residence(answers, hamlet)}", _BODY),
        Paragraph(f"Số điện thoại: {_or_dots(answers.get('phone'))}", _BODY),
        Spacer(1, 3 * mm),
        Paragraph(
            "Hiện nay, hộ gia đình tôi gặp khó khăn trong cuộc sống. Căn cứ quy định về chuẩn "
            "nghèo đa chiều, tôi làm đơn này đề nghị Ủy ban nhân dân xét duyệt hộ gia đình tôi "
            "là hộ nghèo, hộ cận nghèo.",
            _BODY,
        ),
        Paragraph("Thông tin các thành viên trong hộ gia đình:", _BODY),
        Spacer(1, 2 * mm),
        _members_table(answers, members),
        Spacer(1, 4 * mm),
        Paragraph(
            "Tôi xin cam đoan những thông tin trên là đúng sự thật; nếu sai, tôi xin chịu "
            "trách nhiệm trước pháp luật.",
            _BODY,
        ),
        Spacer(1, 6 * mm),
        Table(
            [
                ["", Paragraph(f"…………, ngày {today.strftime('%d/%m/%Y')}", _CENTER)],
                ["", Paragraph("NGƯỜI LÀM ĐƠN", _BOLD_CENTER)],
                ["", Paragraph("(Ký, ghi rõ họ tên)", _CENTER)],
            ],
            colWidths=[90 * mm, 90 * mm],
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="Giấy đề nghị xét duyệt hộ nghèo, hộ cận nghèo (Mẫu số 01)",
        author="Rà Soát",
        invariant=1,
    ).build(story)
    return buffer.getvalue()


def _members_table(answers: Answers, members: list[dict[str, Any]]) -> Table:
    headers = ["TT", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh", "Giới tính", "Số CCCD"]
    rows: list[list[Any]] = [[Paragraph(text, _HEAD) for text in headers]]
    for index, member in enumerate(members):
        rows.append(
            [
                Paragraph(str(index + 1), _CELL),
                Paragraph(_or_dots(answers.get(f"m{index}_name")), _CELL),
                Paragraph(_RELATIONS.get(member.get("relation", ""), ""), _CELL),
                Paragraph(_born(member), _CELL),
                Paragraph(_SEX.get(member.get("sex", ""), ""), _CELL),
                Paragraph("", _CELL),
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 52 * mm, 32 * mm, 24 * mm, 20 * mm, 42 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ]
        )
    )
    return table
