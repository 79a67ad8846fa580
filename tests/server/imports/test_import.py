"""The commune's first day: its household list, filled into the template, previewed with
every refusal, imported after correction, and imported again without any change."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.audit.service import Actor
from server.changes.models import Change
from server.geography.models import Commune
from server.households.models import Classification, Household, HouseholdYear, Member
from server.imports.sample import household_list
from server.imports.service import (
    ImportRefusedError,
    ImportRequest,
    Preview,
    import_households,
)
from server.imports.values import Cell
from shared.errors import RowProblem
from tests.server.conftest import World
from tests.server.imports.sheets import filled_template

YEAR = 2025
TODAY = date(2026, 1, 15)
OFFICER = Actor(None, "test")
# Columns of the template, as refusals name them.
HAMLET, CODE, HEAD, _, NAME, BORN, SEX, RELATION, CITIZEN, CLASS = (
    "Thôn/Tổ dân phố (A)",
    "Mã hộ (B)",
    "Họ tên chủ hộ (C)",
    "Địa chỉ (D)",
    "Họ tên thành viên (E)",
    "Ngày sinh (F)",
    "Giới tính (G)",
    "Quan hệ với chủ hộ (H)",
    "Số CCCD (I)",
    "Phân loại hộ năm trước (J)",
)


def _run(session: Session, world: World, data: bytes, commit: bool) -> Preview:
    commune = session.get(Commune, world.commune_ids[0])
    assert commune is not None
    request = ImportRequest(data, "danh-sach.xlsx", {}, YEAR, TODAY)
    return import_households(session, OFFICER, commune, request, commit)


def _first_rows(rows: list[list[Cell]]) -> dict[str, int]:
    """Return the index in ``rows`` of each household's first row, by code."""
    return {str(row[1]): index for index, row in enumerate(rows) if row[1] is not None}


def _member_row(name: str, born: str, sex: str, relation: str) -> list[Cell]:
    """Return a row listing a member under the household above."""
    return [None, None, None, None, name, born, sex, relation, None, None]


def _sheet_row(index: int) -> int:
    return index + 3  # the heading row, then the stray member row put first


def _spoil(rows: list[list[Cell]]) -> tuple[list[list[Cell]], set[tuple[int, str, RowProblem]]]:
    """Return ``rows`` with mistakes an officer makes, and the refusals each must cause."""
    spoilt = [list(row) for row in rows]
    first = _first_rows(spoilt)
    expected: set[tuple[int, str, RowProblem]] = set()

    def at(code: str, offset: int = 0) -> tuple[list[Cell], int]:
        index = first[code] + offset
        return spoilt[index], _sheet_row(index)

    row, number = at("HO-00010")
    row[5] = "31/02/1980"
    expected.add((number, BORN, RowProblem.BAD_DATE))
    row, number = at("HO-00020")
    row[0] = "Thôn 99"
    expected.add((number, HAMLET, RowProblem.UNKNOWN_HAMLET))
    row, number = at("HO-00030")
    row[6] = "Không rõ"
    expected.add((number, SEX, RowProblem.UNKNOWN_SEX))
    row, number = at("HO-00040")
    row[8] = "12345"
    expected.add((number, CITIZEN, RowProblem.BAD_CITIZEN_ID))
    row, number = at("HO-00050")
    row[9] = "Giàu"
    expected.add((number, CLASS, RowProblem.UNKNOWN_CLASS))
    # A member without a head: the head's row says "Con".
    row, number = at("HO-00060")
    row[7] = "Con"
    row[2] = None
    expected.add((number, RELATION, RowProblem.NO_HEAD))
    # The citizen id of HO-00070's head typed again for HO-00080's head.
    row, number = at("HO-00080")
    row[8] = spoilt[first["HO-00070"]][8]
    expected.add((number, CITIZEN, RowProblem.DUPLICATE_CITIZEN_ID))
    row, number = at("HO-00090")
    row[5] = "05/03/2030"
    expected.add((number, BORN, RowProblem.FUTURE_DATE))
    stray = _member_row("Lê Văn Lạc", "01/01/1990", "Nam", "Con")
    expected.add((2, CODE, RowProblem.MEMBER_WITHOUT_HOUSEHOLD))
    return [stray, *spoilt], expected


@pytest.fixture
def rows(world: World) -> list[list[Cell]]:
    # Hamlets named as communes write them: with and without diacritics, or by code.
    hamlets = ["Khu phố 1", "khu pho 2", "KP1"]
    return household_list(random.Random(20), 300, hamlets, YEAR)


def _count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_template_with_300_households_previewed_corrected_imported_and_reimported(
    session: Session, world: World, rows: list[list[Cell]]
) -> None:
    spoilt, expected = _spoil(rows)
    before = {m: _count(session, m) for m in (Household, Member, Classification, AuditEntry)}

    preview = _run(session, world, filled_template(spoilt), commit=False)
    found = {(r.row, r.column, r.problem) for r in preview.refusals}
    assert found == expected
    assert preview.counts() == {"create": 292, "update": 0, "unchanged": 0, "refused": 8}
    messages = {r.problem: r.message("vi") for r in preview.refusals}
    assert "31/02/1980" in messages[RowProblem.BAD_DATE]
    assert "Thôn 99" in messages[RowProblem.UNKNOWN_HAMLET]
    assert messages[RowProblem.NO_HEAD].startswith("Hộ HO-00060 không có chủ hộ")
    duplicate = next(r for r in preview.refusals if r.problem is RowProblem.DUPLICATE_CITIZEN_ID)
    assert duplicate.message("en").endswith(
        f"repeats row {_sheet_row(_first_rows(rows)['HO-00070'])}"
    )

    with pytest.raises(ImportRefusedError) as refused:
        _run(session, world, filled_template(spoilt), commit=True)
    assert refused.value.detail["count"] == len(expected)
    assert {m: _count(session, m) for m in before} == before

    corrected = filled_template(rows)
    preview = _run(session, world, corrected, commit=False)
    assert preview.refusals == []
    assert preview.counts() == {"create": 300, "update": 0, "unchanged": 0, "refused": 0}
    change_before = session.scalar(select(func.max(Change.seq))) or 0
    assert _run(session, world, corrected, commit=True).committed

    imported = session.scalars(select(Household).where(Household.code.like("HO-%"))).all()
    assert len(imported) == 300
    people = sum(1 for row in rows if row[4] is not None)
    assert sum(len(h.members) for h in imported) == people
    head = next(h for h in imported if h.code == "HO-00001")
    assert head.members[0].relation == "head"
    assert head.members[0].full_name == head.head_name
    assert head.hamlet_id == world.hamlets["B"].id  # "khu pho 2"
    classes = dict(
        session.execute(
            select(Household.code, HouseholdYear.household_class)
            .join(HouseholdYear, HouseholdYear.household_id == Household.id)
            .where(HouseholdYear.year == YEAR, Household.code.like("HO-%"))
        ).all()
    )
    assert len(classes) == 300
    assert set(classes.values()) <= {"poor", "near_poor", "average", "not_poor"}
    changed = set(session.scalars(select(Change.entity_key).where(Change.seq > change_before)))
    assert changed == {str(h.id) for h in imported}
    audit = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert audit is not None
    assert (audit.action, audit.entity) == ("import", "commune")

    after = {m: _count(session, m) for m in before}
    change_after = session.scalar(select(func.max(Change.seq)))
    again = _run(session, world, corrected, commit=False)
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 300, "refused": 0}
    assert _run(session, world, corrected, commit=True).committed
    assert {m: _count(session, m) for m in before} == after
    assert session.scalar(select(func.max(Change.seq))) == change_after


def test_a_corrected_list_updates_what_changed_and_keeps_the_rest(
    session: Session, world: World, rows: list[list[Cell]]
) -> None:
    _run(session, world, filled_template(rows[:40]), commit=True)
    first = _first_rows(rows)
    changed = [list(row) for row in rows[:40]]
    changed[first["HO-00002"]][3] = "Số 9, xóm Mới"
    changed[first["HO-00003"]][9] = (
        "Hộ nghèo" if rows[first["HO-00003"]][9] != "Hộ nghèo" else "Không nghèo"
    )
    newborn = _member_row("Bé Mới", "02/01/2026", "Nữ", "Cháu")
    changed.insert(first["HO-00004"] + 1, newborn)

    preview = _run(session, world, filled_template(changed), commit=True)
    updates = {o.code: o.changes for o in preview.outcomes if o.action == "update"}
    assert updates == {"HO-00002": ("address",), "HO-00003": ("class",), "HO-00004": ("members",)}
    household = session.scalars(select(Household).where(Household.code == "HO-00004")).one()
    assert household.members[-1].full_name == "Bé Mới"
    assert household.members[-1].member_no == str(len(household.members))
    history = session.scalars(
        select(Classification)
        .join(Household, Household.id == Classification.household_id)
        .where(Household.code == "HO-00003")
    ).all()
    assert len(history) == 2  # the first import's class is kept in the history
