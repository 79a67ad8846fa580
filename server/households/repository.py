"""SQL of households, members and their class history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar, cast

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import Subquery

from server.auth.policy import Scope
from server.changes.bulk import insert_columns
from server.changes.repository import add_changes
from server.db import among, utcnow
from server.geography.models import Hamlet
from server.geography.repository import hamlets_in_scope
from server.households.models import (
    Classification,
    HamletMove,
    Household,
    HouseholdYear,
    Member,
)
from shared.household_paths import HOUSEHOLD_FIELDS, MEMBER_FACTS, MEMBER_FIELDS

_CHUNK = 1000
_HOUSEHOLDS = cast(Table, Household.__table__)

AnySelect = Select[*tuple[Any, ...]]
Q = TypeVar("Q", bound=AnySelect)


@dataclass(frozen=True)
class HouseholdFilter:
    hamlet_id: int | None = None
    household_class: str | None = None
    year: int | None = None
    folded_name: str | None = None


def _like(folded: str) -> str:
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def latest_year(session: Session) -> int | None:
    """Return the latest year any household has a class for."""
    return session.scalar(select(func.max(HouseholdYear.year)))


def _filtered(query: Q, scope: Scope, where: HouseholdFilter) -> Q:
    query = query.where(Household.hamlet_id.in_(hamlets_in_scope(scope)))
    if where.hamlet_id is not None:
        query = query.where(Household.hamlet_id == where.hamlet_id)
    if where.folded_name:
        query = query.where(Household.names_folded.like(_like(where.folded_name), escape="\\"))
    if where.household_class is not None:
        query = query.where(HouseholdYear.household_class == where.household_class)
    return query


def _with_year(query: Q, year: int | None, inner: bool) -> Q:
    on = and_(HouseholdYear.household_id == Household.id, HouseholdYear.year == year)
    return query.join(HouseholdYear, on) if inner else query.outerjoin(HouseholdYear, on)


def households(
    session: Session, scope: Scope, where: HouseholdFilter, offset: int, limit: int
) -> tuple[list[tuple[Household, str, str | None]], int]:
    """Return one page of households in ``scope`` matching ``where`` (with their hamlet's name
    and their class in ``where.year``), ordered by code, and the total count."""
    inner = where.household_class is not None
    rows_query = _with_year(
        select(Household, Hamlet.name, HouseholdYear.household_class).join(
            Hamlet, Hamlet.id == Household.hamlet_id
        ),
        where.year,
        inner,
    )
    rows_query = _filtered(rows_query, scope, where).order_by(Household.code)
    count_query = _filtered(
        _with_year(select(func.count()).select_from(Household), where.year, inner), scope, where
    )
    total = session.scalar(count_query) or 0
    rows = session.execute(rows_query.offset(offset).limit(limit)).all()
    return [(row[0], row[1], row[2]) for row in rows], total


def members(
    session: Session, scope: Scope, where: HouseholdFilter, offset: int, limit: int
) -> tuple[list[tuple[Member, Household]], int]:
    """Return one page of members of households in ``scope`` matching ``where`` (the name
    filter applies to the member), ordered by household code and position, and the total."""
    inner = where.household_class is not None
    name = where.folded_name
    household_where = HouseholdFilter(where.hamlet_id, where.household_class, where.year, None)
    base = select(Member, Household).join(Household, Household.id == Member.household_id)
    counted = (
        select(func.count())
        .select_from(Member)
        .join(Household, Household.id == Member.household_id)
    )
    queries: list[AnySelect] = []
    query: AnySelect
    for query in (base, counted):
        query = _filtered(_with_year(query, where.year, inner), scope, household_where)
        if name:
            query = query.where(Member.name_folded.like(_like(name), escape="\\"))
        queries.append(query)
    total = session.scalar(queries[1]) or 0
    rows = session.execute(
        queries[0].order_by(Household.code, Member.position).offset(offset).limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows], total


def household(session: Session, household_id: int, lock: bool = False) -> Household | None:
    """Return the household, its row locked for update when ``lock``."""
    if not lock:
        return session.get(Household, household_id)
    return session.scalars(
        select(Household).where(Household.id == household_id).with_for_update()
    ).first()


def households_by_id(session: Session, ids: Iterable[int]) -> dict[int, Household]:
    wanted = sorted(set(ids))
    return {h.id: h for h in session.scalars(select(Household).where(Household.id.in_(wanted)))}


def household_by_code(session: Session, commune_id: int, code: str) -> Household | None:
    query = select(Household).where(Household.commune_id == commune_id, Household.code == code)
    return session.scalars(query).first()


def history(session: Session, household_id: int) -> list[Classification]:
    """Return every classification of the household, newest first."""
    return list(
        session.scalars(
            select(Classification)
            .where(Classification.household_id == household_id)
            .order_by(Classification.year.desc(), Classification.id.desc())
        )
    )


def standing(session: Session, household_id: int) -> dict[int, int]:
    """Return, per year, the id of the classification that stands for the household."""
    rows = session.execute(
        select(HouseholdYear.year, HouseholdYear.classification_id).where(
            HouseholdYear.household_id == household_id
        )
    )
    return {row[0]: row[1] for row in rows}


def year_class(session: Session, household_id: int, year: int) -> HouseholdYear | None:
    return session.get(HouseholdYear, (household_id, year))


def standing_rows(year: int | None = None, classes: Sequence[str] | None = None) -> Subquery:
    """Return a subquery of (household_id, household_class, classification_id, year): every
    household's standing row, that of its latest year on record (up to ``year`` when given),
    optionally only those of ``classes``.

    A household not reviewed this year keeps last year's class. The row is picked with an
    anti-join (no later row up to the year), which both SQLite and PostgreSQL plan as one pass
    over ``household_years``; restricted to ``classes`` first, the anti-join only probes the
    primary key of the few rows left."""
    row = aliased(HouseholdYear, name="standing_row")
    later = aliased(HouseholdYear, name="later_row")
    newer = [later.household_id == row.household_id, later.year > row.year]
    if year is not None:
        newer.append(later.year <= year)
    query = select(row.household_id, row.household_class, row.classification_id, row.year)
    query = query.where(~exists().where(*newer))
    if year is not None:
        query = query.where(row.year <= year)
    if classes is not None:
        query = query.where(row.household_class.in_(classes))
    return query.subquery("standing")


@cache
def _standing_classes_query() -> Select[int, int, str]:
    # Built once: every pull runs it, and building the anti-join anew (aliases, cache key)
    # cost more than running it.
    now = standing_rows()
    return select(now.c.household_id, now.c.year, now.c.household_class).where(
        now.c.household_id.in_(bindparam("ids", expanding=True))
    )


def standing_classes(session: Session, household_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Return each household's class in its latest year on record: (year, class)."""
    wanted = sorted(set(household_ids))
    found: dict[int, tuple[int, str]] = {}
    # A pull asks for thousands of households; a bounded IN list keeps under both databases'
    # limits on bound parameters.
    for start in range(0, len(wanted), 1000):
        rows = session.execute(_standing_classes_query(), {"ids": wanted[start : start + 1000]})
        found.update({row[0]: (row[1], row[2]) for row in rows})
    return found


def latest_surveyed(session: Session, household_ids: Iterable[int]) -> dict[int, Classification]:
    """Return the engine's classification of each household's latest survey, if it has one
    (not the commune's decision on it, which names the same survey)."""
    wanted = sorted(set(household_ids))
    surveyed = Classification.source == "survey"
    newest = (
        select(func.max(Classification.survey_id))
        .where(Classification.household_id.in_(wanted), surveyed)
        .group_by(Classification.household_id)
    )
    query = select(Classification).where(Classification.survey_id.in_(newest), surveyed)
    return {c.household_id: c for c in session.scalars(query)}


def standing_classifications(
    session: Session, household_ids: Iterable[int]
) -> dict[int, Classification]:
    """Return each household's classification that stands for its latest year on record."""
    now = standing_rows()
    wanted = sorted(set(household_ids))
    query = (
        select(Classification)
        .join(now, now.c.classification_id == Classification.id)
        .where(now.c.household_id.in_(wanted))
    )
    return {c.household_id: c for c in session.scalars(query)}


def classes_before(
    session: Session, household_ids: Iterable[int], year: int
) -> dict[int, list[str]]:
    """Return each household's standing classes of the years before ``year``, oldest first."""
    wanted = sorted(set(household_ids))
    found: dict[int, list[str]] = defaultdict(list)
    query = (
        select(HouseholdYear.household_id, HouseholdYear.household_class)
        .where(HouseholdYear.household_id.in_(wanted), HouseholdYear.year < year)
        .order_by(HouseholdYear.household_id, HouseholdYear.year)
    )
    for household_id, household_class in session.execute(query):
        found[household_id].append(household_class)
    return dict(found)


def codes_taken(session: Session, commune_id: int, codes: list[str]) -> list[str]:
    """Return which of ``codes`` belong to existing households of the commune."""
    taken: list[str] = []
    for start in range(0, len(codes), 1000):
        chunk = codes[start : start + 1000]
        query = select(Household.code).where(
            Household.commune_id == commune_id, Household.code.in_(chunk)
        )
        taken += session.scalars(query)
    return taken


def add_all(
    session: Session, rows: list[Household] | list[Classification] | list[HouseholdYear]
) -> None:
    """Insert ``rows`` and flush them so they have ids."""
    session.add_all(rows)
    session.flush()


def add(session: Session, row: Household | Member | Classification | HouseholdYear) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()


def points(
    session: Session, scope: Scope, year: int | None
) -> list[tuple[int, str, str, str, float | None, float | None, str | None]]:
    """Return (id, code, head, hamlet name, latitude, longitude, class in ``year``) of every
    household in ``scope`` that has a position, ordered by code: the map's data, without
    loading members."""
    query = _with_year(
        select(
            Household.id,
            Household.code,
            Household.head_name,
            Hamlet.name,
            Household.latitude,
            Household.longitude,
            HouseholdYear.household_class,
        ).join(Hamlet, Hamlet.id == Household.hamlet_id),
        year,
        inner=False,
    )
    query = _filtered(query, scope, HouseholdFilter()).where(
        Household.latitude.is_not(None), Household.longitude.is_not(None)
    )
    return [
        (row[0], row[1], row[2], row[3], row[4], row[5], row[6])
        for row in session.execute(query.order_by(Household.code))
    ]


def households_by_code(session: Session, commune_id: int, codes: list[str]) -> dict[str, Household]:
    """Return the commune's households among ``codes`` by code, with their members."""
    found: dict[str, Household] = {}
    for start in range(0, len(codes), 1000):
        query = select(Household).where(
            Household.commune_id == commune_id, Household.code.in_(codes[start : start + 1000])
        )
        found.update({h.code: h for h in session.scalars(query)})
    return found


def national_ids_in_commune(session: Session, commune_id: int) -> dict[str, str]:
    """Return every citizen id held by a member of the commune's households, with the code of
    that household."""
    query = (
        select(Member.national_id, Household.code)
        .join(Household, Household.id == Member.household_id)
        .where(Household.commune_id == commune_id, Member.national_id.is_not(None))
    )
    return {row[0]: row[1] for row in session.execute(query) if row[0] is not None}


def year_classes(session: Session, household_ids: list[int], year: int) -> dict[int, HouseholdYear]:
    """Return the standing class of ``year`` of each of the households that has one."""
    found: dict[int, HouseholdYear] = {}
    for start in range(0, len(household_ids), 1000):
        query = select(HouseholdYear).where(
            HouseholdYear.year == year,
            HouseholdYear.household_id.in_(household_ids[start : start + 1000]),
        )
        found.update({row.household_id: row for row in session.scalars(query)})
    return found


def _insert(
    session: Session, table: Table, rows: list[dict[str, Any]], returning: str = ""
) -> list[Any]:
    """Insert ``rows`` (same keys each) in one statement per table and return the
    ``returning`` column's values in row order."""
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        arrays: dict[str, list[Any]] = {}
        for name in rows[0]:
            values = [row[name] for row in rows]
            if isinstance(table.c[name].type, JSON):
                values = [orjson.dumps(v).decode() for v in values]
            arrays[name] = values
        return insert_columns(connection, table, arrays, returning)
    if not returning:
        connection.execute(insert(table), rows)
        return []
    statement = insert(table).returning(table.c[returning], sort_by_parameter_order=True)
    return [row[0] for row in connection.execute(statement, rows)]


def insert_households(
    session: Session, households: list[dict[str, Any]], members: list[list[dict[str, Any]]]
) -> list[int]:
    """Insert new households (column values) with their members (``members[i]`` of
    ``households[i]``) in a few statements, outside the session's unit of work, and return
    the households' ids in order. For loads of thousands, where flushing objects one by one
    takes seconds; the caller announces them (``announce``), as the listener does for the
    session's own writes."""
    now = utcnow()
    # The model's defaults, which an INSERT from arrays does not apply.
    households = [{"created_at": now, "updated_at": now, **row} for row in households]
    ids: list[int] = _insert(session, cast(Table, Household.__table__), households, "id")
    rows = [
        {**member, "household_id": household_id}
        for household_id, listed in zip(ids, members, strict=True)
        for member in listed
    ]
    _insert(session, cast(Table, Member.__table__), rows)
    return ids


def insert_classifications(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert classifications (column values) in one statement and return their ids."""
    return _insert(session, cast(Table, Classification.__table__), rows, returning="id")


def insert_year_classes(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert standing classes (column values) of households that have none for the year."""
    _insert(session, cast(Table, HouseholdYear.__table__), rows)


def announce(session: Session, hamlet_of: dict[int, int]) -> None:
    """Enter households written outside the unit of work (id → hamlet id) in the change
    sequence, so tablets of their hamlets pull them."""
    add_changes(
        session.connection(),
        [
            {"entity": "household", "entity_key": str(household_id), "hamlet_id": hamlet_id}
            for household_id, hamlet_id in sorted(hamlet_of.items())
        ],
    )


# The households a device holds and pushes (server.sync).


def lock_households(session: Session, household_ids: Iterable[int]) -> None:
    """Lock the rows of ``household_ids`` in id order, as an UPDATE of them would (``FOR NO
    KEY UPDATE``: rows inserted elsewhere that refer to them still go in)."""
    wanted = sorted(set(household_ids))
    if wanted:
        session.execute(
            select(_HOUSEHOLDS.c.id)
            .where(among(session, _HOUSEHOLDS.c.id, wanted))
            .order_by(_HOUSEHOLDS.c.id)
            .with_for_update(key_share=True)
        ).all()


_PULLED = (
    _HOUSEHOLDS.c.id,
    _HOUSEHOLDS.c.hamlet_id,
    _HOUSEHOLDS.c.code,
    _HOUSEHOLDS.c.head_name,
    _HOUSEHOLDS.c.address,
    _HOUSEHOLDS.c.latitude,
    _HOUSEHOLDS.c.longitude,
)
_MEMBERS = cast(Table, Member.__table__)
_PULLED_MEMBERS = (
    _MEMBERS.c.household_id,
    _MEMBERS.c.member_no,
    _MEMBERS.c.full_name,
    _MEMBERS.c.birth_date,
    _MEMBERS.c.sex,
    _MEMBERS.c.relation,
    *(_MEMBERS.c[name] for name in MEMBER_FACTS),
)


# A row of the pulled columns (attribute access by column name); SQLAlchemy types a row by
# its columns' count, which a shared alias cannot spell.
PulledRow = Any


# What an edit reads and may write: the household's fields and its members' (an edit addresses
# MEMBER_FIELDS; the folded names follow from them).
EDITED_FIELDS = (*HOUSEHOLD_FIELDS, "names_folded")
EDITED_MEMBER_FIELDS = (*MEMBER_FIELDS, "name_folded")
_EDITED = (_HOUSEHOLDS.c.id, _HOUSEHOLDS.c.hamlet_id, *(_HOUSEHOLDS.c[k] for k in EDITED_FIELDS))
_EDITED_MEMBERS = (
    _MEMBERS.c.household_id,
    _MEMBERS.c.id,
    _MEMBERS.c.member_no,
    _MEMBERS.c.position,
    *(_MEMBERS.c[k] for k in EDITED_MEMBER_FIELDS),
)


def _with_members(
    session: Session,
    ids: Iterable[int],
    columns: tuple[Any, ...],
    member_columns: tuple[Any, ...],
) -> dict[int, tuple[PulledRow, list[PulledRow]]]:
    """Return the households that exist among ``ids`` with their members in order, as plain
    rows of ``columns`` and ``member_columns`` (each starting with the household's id)."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[PulledRow, list[PulledRow]]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        households = select(*columns).where(among(session, _HOUSEHOLDS.c.id, chunk))
        for row in session.execute(households):
            found[row.id] = (row, [])
        members = (
            select(*member_columns)
            .where(among(session, _MEMBERS.c.household_id, chunk))
            .order_by(_MEMBERS.c.household_id, _MEMBERS.c.position)
        )
        for member in session.execute(members):
            found[member.household_id][1].append(member)
    return found


def pulled_households(
    session: Session, ids: Iterable[int]
) -> dict[int, tuple[PulledRow, list[PulledRow]]]:
    """Return the households that exist among ``ids`` with their members in order, as rows
    of the columns a pull sends. Plain rows, not ORM objects: a pull of 500 households and
    2,000 members spent most of its time building and tracking objects it only reads."""
    return _with_members(session, ids, _PULLED, _PULLED_MEMBERS)


def edited_households(
    session: Session, ids: Iterable[int]
) -> dict[int, tuple[PulledRow, list[PulledRow]]]:
    """Return the households that exist among ``ids`` with their members in order: the
    columns an edit reads (``EDITED_FIELDS``, ``EDITED_MEMBER_FIELDS``), the hamlet, and each
    member's id and position."""
    return _with_members(session, ids, _EDITED, _EDITED_MEMBERS)


def update_households(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set ``EDITED_FIELDS`` of each household given (``row_id`` and every field), outside
    the unit of work: the caller enters them in the change sequence."""
    if rows:
        query = update(_HOUSEHOLDS).where(_HOUSEHOLDS.c.id == bindparam("row_id"))
        session.connection().execute(query, rows)


def update_members(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set ``EDITED_MEMBER_FIELDS`` and the position of each member given (``row_id``)."""
    if rows:
        query = update(_MEMBERS).where(_MEMBERS.c.id == bindparam("row_id"))
        session.connection().execute(query, rows)


def add_members(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert members (column values, each with the same keys) in one statement."""
    _insert(session, _MEMBERS, rows)


def delete_members(session: Session, member_ids: list[int]) -> None:
    if member_ids:
        session.connection().execute(delete(_MEMBERS).where(_MEMBERS.c.id.in_(member_ids)))


def expire_household(session: Session, household_id: int) -> None:
    """Make the session reload the household and its members it may hold as objects, after
    statements that wrote them around it."""
    for held in list(session.identity_map.values()):
        if (isinstance(held, Household) and held.id == household_id) or (
            isinstance(held, Member) and held.household_id == household_id
        ):
            session.expire(held)


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


def codes_taken_anywhere(session: Session, codes: Iterable[str]) -> dict[tuple[int, str], int]:
    """Return the id of the existing household of each taken code, by commune and code
    (each commune numbers its own households)."""
    query = select(Household.commune_id, Household.code, Household.id)
    return {
        (row[0], row[1]): row[2]
        for chunk in _chunks(codes)
        for row in session.execute(query.where(among(session, Household.code, chunk)))
    }


def households_per_hamlet(session: Session, hamlet_ids: Iterable[int]) -> dict[int, int]:
    """Return hamlet id → registered households, for the hamlets given."""
    query = (
        select(Household.hamlet_id, func.count())
        .where(Household.hamlet_id.in_(sorted(set(hamlet_ids))))
        .group_by(Household.hamlet_id)
    )
    return {row[0]: row[1] for row in session.execute(query)}


def move_to_hamlet(
    session: Session,
    from_hamlet_ids: list[int],
    to_hamlet_id: int,
    change_id: int,
    effective_on: date,
) -> dict[int, int]:
    """Move every household of ``from_hamlet_ids`` to ``to_hamlet_id`` from ``effective_on``,
    recording each move so its earlier years stay counted where they were; return household
    id → hamlet it left. Both hamlets' streams of the change sequence get the household: the
    old one's tablets drop it, the new one's pull it. Nothing else of the household changes."""
    query = select(Household.id, Household.hamlet_id).where(
        Household.hamlet_id.in_(sorted(from_hamlet_ids))
    )
    left: dict[int, int] = {row[0]: row[1] for row in session.execute(query)}
    if not left:
        return left
    _insert(
        session,
        cast(Table, HamletMove.__table__),
        [
            {
                "household_id": household_id,
                "from_hamlet_id": hamlet_id,
                "to_hamlet_id": to_hamlet_id,
                "change_id": change_id,
                "effective_on": effective_on,
            }
            for household_id, hamlet_id in sorted(left.items())
        ],
    )
    session.execute(
        update(Household)
        .where(Household.hamlet_id.in_(sorted(from_hamlet_ids)))
        .values(hamlet_id=to_hamlet_id, updated_at=utcnow()),
        execution_options={"synchronize_session": "fetch"},
    )
    add_changes(
        session.connection(),
        [
            {"entity": "household", "entity_key": str(household_id), "hamlet_id": hamlet_id}
            for household_id, old in sorted(left.items())
            for hamlet_id in (old, to_hamlet_id)
        ],
    )
    return left


def hamlet_in_year(year: int) -> tuple[Subquery, ColumnElement[int]]:
    """Return a subquery to outer-join on ``household_id`` and the column of the hamlet each
    household was in during ``year``: the hamlet its first move after that year left, else
    its hamlet now. A merge dated in a year counts from that year on (docs/console.md)."""
    ranked = (
        select(
            HamletMove.household_id,
            HamletMove.from_hamlet_id,
            func.row_number()
            .over(
                partition_by=HamletMove.household_id,
                order_by=(HamletMove.effective_on, HamletMove.id),
            )
            .label("n"),
        )
        .where(HamletMove.effective_on >= date(year + 1, 1, 1))
        .subquery("moves_ranked")
    )
    earliest = (
        select(ranked.c.household_id, ranked.c.from_hamlet_id)
        .where(ranked.c.n == 1)
        .subquery("moved_after")
    )
    return earliest, func.coalesce(earliest.c.from_hamlet_id, Household.hamlet_id)
