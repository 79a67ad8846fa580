"""The Phiếu B1 score tables: the shipped examples and the tables provinces load, checked
against the form each one scores; the estimator of a household in a commune's region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from server.classification import repository
from server.classification.models import ScoreTableRow
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.score_a import (
    ScoreTable,
    check_against_form,
    parse_score_table,
    shipped_tables,
)


@dataclass(frozen=True)
class TableInfo:
    """A score table one can choose: shipped tables are examples, never official."""

    code: str
    title: str
    example_only: bool
    shipped: bool
    province_code: str | None
    form: str | None
    loaded_at: datetime | None


def _checked(table: ScoreTable, source: str) -> ScoreTable:
    """Return the table when it names a form of the catalog and gives every item of it
    points; raise INVALID_SCORE_TABLE, UNKNOWN_FORM or SCORE_ITEM_MISSING."""
    if table.form is None:
        raise RasoatError(
            ErrorCode.INVALID_SCORE_TABLE,
            source=source,
            problem="name the Phiếu B1 form the table scores (form: score_b1/1)",
        )
    form_id, version = table.form.split("/")
    return check_against_form(table, shipped().get(form_id, int(version)), source)


def load_table(
    session: Session, text: str, source: str, province_code: str | None = None
) -> ScoreTableRow:
    """Store the score table in ``text`` (YAML) for ``province_code`` (or the province the
    table names) and return its row; a table that misses an item of its form is refused,
    naming the item, as is an id already taken."""
    table = _checked(parse_score_table(text, source), source)
    taken = {t.id for t in shipped_tables()}
    if table.id in taken or repository.score_table(session, table.id) is not None:
        raise RasoatError(ErrorCode.SCORE_TABLE_TAKEN, table=table.id)
    row = ScoreTableRow(
        code=table.id,
        title=table.title,
        province_code=province_code or table.province,
        form=table.form,
        example_only=table.example_only,
        text=text,
    )
    repository.add(session, row)
    return row


def tables(session: Session) -> list[TableInfo]:
    """Return the tables one may choose: the shipped examples, then the loaded ones."""
    shipped_infos = [
        TableInfo(t.id, t.title, True, True, None, t.form, None) for t in shipped_tables()
    ]
    return shipped_infos + [
        TableInfo(r.code, r.title, r.example_only, False, r.province_code, r.form, r.loaded_at)
        for r in repository.score_tables(session)
    ]


def table(session: Session, code: str) -> ScoreTable:
    """Return the score table ``code`` (shipped or loaded); raise UNKNOWN_SCORE_TABLE."""
    for shipped_table in shipped_tables():
        if shipped_table.id == code:
            return shipped_table
    row = repository.score_table(session, code)
    if row is None:
        raise RasoatError(ErrorCode.UNKNOWN_SCORE_TABLE, table=code)
    return parse_score_table(row.text, row.code)


def province_table(session: Session, province_code: str) -> str | None:
    """Return the id of the newest official table loaded for the province, None if none."""
    rows = [
        r
        for r in repository.score_tables(session)
        if r.province_code == province_code and not r.example_only
    ]
    return rows[-1].code if rows else None
