"""The columns of a household list: the template's Vietnamese headings, the other headings
communes use for them, and matching a file's heading row to them (with or without diacritics,
in any case, or through a mapping the officer gives)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from server.text import fold
from shared.errors import ErrorCode, RasoatError


class Field(StrEnum):
    HAMLET = "hamlet"
    HOUSEHOLD_CODE = "household_code"
    HEAD_NAME = "head_name"
    ADDRESS = "address"
    MEMBER_NAME = "member_name"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    RELATION = "relation"
    CITIZEN_ID = "citizen_id"
    LAST_CLASS = "last_class"


@dataclass(frozen=True)
class Column:
    field: Field
    heading: str
    english: str
    # Headings seen in communes' own lists, matched after folding.
    aliases: tuple[str, ...]
    width: int
    hint: str


# In the template's order: the household's cells, then one member per row.
COLUMNS: tuple[Column, ...] = (
    Column(
        Field.HAMLET,
        "Thôn/Tổ dân phố",
        "Hamlet",
        ("Thôn", "Tổ dân phố", "Khu phố", "Thôn/xóm", "Ấp", "Bản", "Tên thôn", "Mã thôn"),
        18,
        "Tên hoặc mã thôn, tổ dân phố như trong hệ thống",
    ),
    Column(
        Field.HOUSEHOLD_CODE,
        "Mã hộ",
        "Household code",
        ("Mã số hộ", "Số hộ", "Household"),
        14,
        "Ghi ở dòng đầu của hộ; dòng để trống là thành viên của hộ ở dòng trên",
    ),
    Column(
        Field.HEAD_NAME,
        "Họ tên chủ hộ",
        "Head of household",
        ("Chủ hộ", "Tên chủ hộ", "Head", "Head name"),
        24,
        "Có thể bỏ trống nếu có thành viên ghi quan hệ 'Chủ hộ'",
    ),
    Column(Field.ADDRESS, "Địa chỉ", "Address", ("Nơi ở", "Address"), 24, "Số nhà, đường, xóm"),
    Column(
        Field.MEMBER_NAME,
        "Họ tên thành viên",
        "Member name",
        ("Họ và tên", "Họ tên", "Tên thành viên", "Họ và tên thành viên", "Name"),
        24,
        "Mỗi thành viên một dòng, kể cả chủ hộ",
    ),
    Column(
        Field.BIRTH_DATE,
        "Ngày sinh",
        "Birth date",
        ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Date of birth"),
        12,
        "ngày/tháng/năm, ví dụ 05/03/1980",
    ),
    Column(Field.SEX, "Giới tính", "Sex", ("Nam/Nữ", "Gender"), 10, "Nam hoặc Nữ"),
    Column(
        Field.RELATION,
        "Quan hệ với chủ hộ",
        "Relation to the head",
        ("Quan hệ", "Quan hệ với chủ hộ gia đình", "Relation"),
        16,
        "Chủ hộ, Vợ, Chồng, Con, Bố, Mẹ, Cháu, Anh, Chị, Em, Khác",
    ),
    Column(
        Field.CITIZEN_ID,
        "Số CCCD",
        "Citizen id",
        (
            "Số căn cước",
            "Số căn cước công dân",
            "CCCD",
            "Căn cước công dân",
            "Số định danh cá nhân",
            "Số CCCD/ĐDCN",
            "Citizen id",
        ),
        16,
        "12 chữ số",
    ),
    Column(
        Field.LAST_CLASS,
        "Phân loại hộ năm trước",
        "Last year's class",
        ("Phân loại hộ", "Phân loại", "Loại hộ", "Class", "Last class"),
        22,
        "Hộ nghèo, Hộ cận nghèo, Hộ có mức sống trung bình, Không nghèo",
    ),
)
BY_FIELD: dict[Field, Column] = {c.field: c for c in COLUMNS}
REQUIRED: tuple[Field, ...] = (Field.HOUSEHOLD_CODE, Field.HAMLET)


def heading_key(text: str) -> str:
    """Return ``text`` as headings are compared: folded, punctuation read as a space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _known() -> dict[str, Field]:
    known: dict[str, Field] = {}
    for column in COLUMNS:
        for name in (column.heading, column.english, column.field.value, *column.aliases):
            known[heading_key(name)] = column.field
    return known


KNOWN = _known()


def parse_mapping(entries: list[str] | dict[str, Any]) -> dict[str, Field]:
    """Return the mapping given as ``"heading in the file=field"`` entries (or a dictionary
    read from YAML): each file heading's key to the field it holds. The field is named by its
    English key (``head_name``) or by any heading the template knows for it (``Chủ hộ``)."""
    pairs: list[tuple[str, Any]]
    if isinstance(entries, dict):
        pairs = list(entries.items())
    else:
        pairs = []
        for entry in entries:
            heading, sign, field = entry.partition("=")
            if not sign:
                raise RasoatError(ErrorCode.IMPORT_MAPPING_INVALID, mapping=entry)
            pairs.append((heading, field))
    mapping: dict[str, Field] = {}
    for heading, field in pairs:
        target = KNOWN.get(heading_key(str(field)))
        if target is None or not heading_key(str(heading)):
            raise RasoatError(ErrorCode.IMPORT_MAPPING_INVALID, mapping=f"{heading}={field}")
        mapping[heading_key(str(heading))] = target
    return mapping


def field_of(heading: str, mapping: dict[str, Field]) -> Field | None:
    """Return the field a file's heading holds: the mapping's choice first, then the known
    headings; None for a column the import does not read."""
    key = heading_key(heading)
    return mapping.get(key) or KNOWN.get(key)
