"""SQL of sync: the change sequence, pushed records, conflicts, photos and geofence flags."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any, cast

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Dialect,
    String,
    Table,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

from server.audit.repository import _CHAIN_LOCK
from server.auth.policy import Scope
from server.db import utcnow
from server.geography.models import Hamlet
from server.geography.repository import hamlets_in_scope
from server.households.models import Household, HouseholdYear, Member
from server.sync.models import Change, Conflict, GeofenceFlag, Photo, PushedRecord

_CHUNK = 1000
_CHANGES = cast(Table, Change.__table__)
_HOUSEHOLDS = cast(Table, Household.__table__)
_RECORDS = cast(Table, PushedRecord.__table__)


@cache
def _unnest_sql(dialect: Dialect, table: Table, names: tuple[str, ...], returning: str) -> str:
    """Return ``INSERT INTO table (names) SELECT … FROM unnest(%(name)b::type[], …) WITH
    ORDINALITY ORDER BY ordinality [RETURNING returning]`` for PostgreSQL. Text travels as
    TEXT: an explicit cast to VARCHAR(n) would cut a long value where the INSERT refuses it."""
    quote = dialect.identifier_preparer.quote
    arrays, values = [], []
    for name in names:
        column = table.c[name]
        json = isinstance(column.type, JSON)
        text_like = json or isinstance(column.type, String)
        carried = "TEXT" if text_like else column.type.compile(dialect=dialect)
        arrays.append(f"%({name})b::{carried}[]")
        values.append(f"CAST(u.{quote(name)} AS JSONB)" if json else f"u.{quote(name)}")
    columns = ", ".join(quote(name) for name in names)
    return (
        f"INSERT INTO {quote(table.name)} ({columns}) SELECT {', '.join(values)} "
        f"FROM unnest({', '.join(arrays)}) WITH ORDINALITY AS u({columns}, ordinal) "
        f"ORDER BY u.ordinal" + (f" RETURNING {quote(returning)}" if returning else "")
    )


def _unnest(
    connection: Connection, table: Table, arrays: dict[str, list[Any]], returning: str = ""
) -> list[Any]:
    """Insert the rows given column by column in one statement (PostgreSQL) and return the
    ``returning`` column's values in the order of the rows.

    One array per column, sent binary (%b): the statement stays short and the same whatever
    the batch size, where psycopg sends an executemany as one INSERT per row and SQLAlchemy's
    multi-row VALUES needs a parameter per value. JSON travels as text. Values of a
    server-generated integer key follow the ORDER BY of an INSERT … SELECT, as SQLAlchemy's
    insertmanyvalues relies on for PostgreSQL (USE_INSERT_FROM_SELECT), so they sort in row
    order."""
    sql = _unnest_sql(connection.dialect, table, tuple(arrays), returning)
    result = connection.exec_driver_sql(sql, arrays)
    return sorted(row[0] for row in result) if returning else []


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


def _among(
    session: Session, column: InstrumentedAttribute[str], values: list[str]
) -> ColumnElement[bool]:
    """Return ``column IN (SELECT unnest(:values))`` on PostgreSQL, ``column IN (…)``
    elsewhere. One array parameter keeps the statement short and the same whatever the
    count, and the semi-join lets the planner probe the index. (``= ANY(:values)`` was slower
    on a table growing by the batch: psycopg prepares a statement it runs often, and a
    generic plan's scan compares each row with every value of the array.)"""
    if session.get_bind().dialect.name == "postgresql":
        return column.in_(select(func.unnest(bindparam(None, values, type_=ARRAY(String)))))
    return column.in_(values)


_CHANGE_COLUMNS = ("entity", "entity_key", "hamlet_id", "device_id")
_RECORD_COLUMNS = ("uuid", "kind", "content_hash", "device_id", "user_id", "household_id")


def lock_writers(connection: Connection) -> None:
    """Take the writers' lock until the transaction ends. It is the audit chain's lock, so a
    transaction that writes both never waits on itself; holding it while allocating ``seq``
    makes the sequence grow in commit order (SQLite serialises writers already)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})


def hamlets_of(connection: Connection, household_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Return (household id, hamlet id) of the given households that exist."""
    ids = sorted(set(household_ids))
    found: list[tuple[int, int]] = []
    table = _HOUSEHOLDS
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(table.c.id, table.c.hamlet_id).where(table.c.id.in_(chunk))
        found += [(row[0], row[1]) for row in connection.execute(query)]
    return found


def add_changes(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Append changes (entity, entity_key and hamlet_id or device_id) and return their seq
    numbers in the order given."""
    if not rows:
        return []
    lock_writers(connection)
    if connection.dialect.name == "postgresql":
        arrays = {name: [row.get(name) for row in rows] for name in _CHANGE_COLUMNS}
        return _unnest(connection, _CHANGES, arrays, returning="seq")
    full = [{"hamlet_id": None, "device_id": None, **row} for row in rows]
    result = connection.execute(
        insert(_CHANGES).returning(_CHANGES.c.seq, sort_by_parameter_order=True),
        full,
    )
    return [row[0] for row in result]


def changed_entities(
    session: Session,
    hamlet_streams: Sequence[tuple[int, Sequence[int]]],
    device_stream: tuple[int, int],
    limit: int,
) -> list[tuple[str, str, int]]:
    """Return (entity, key, latest seq) of the entities changed after each stream's position,
    oldest latest change first: ``hamlet_streams`` pairs a position with hamlets at it,
    ``device_stream`` is (device id, position)."""
    device_id, device_seq = device_stream
    conditions = [
        and_(Change.hamlet_id.in_(sorted(hamlets)), Change.seq > seq)
        for seq, hamlets in hamlet_streams
        if hamlets
    ]
    conditions.append(and_(Change.device_id == device_id, Change.seq > device_seq))
    top = func.max(Change.seq).label("top")
    query = (
        select(Change.entity, Change.entity_key, top)
        .where(or_(*conditions))
        .group_by(Change.entity, Change.entity_key)
        .order_by(top)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def last_seq(session: Session) -> int:
    """Return the newest seq of the change sequence (0 when empty)."""
    return session.scalar(select(func.max(Change.seq))) or 0


def household_versions(session: Session, household_ids: Iterable[int]) -> dict[int, int]:
    """Return each household's version: the seq of its latest change."""
    keys = sorted({str(i) for i in household_ids})
    versions: dict[int, int] = {}
    for start in range(0, len(keys), _CHUNK):
        query = (
            select(Change.entity_key, func.max(Change.seq))
            .where(
                Change.entity == "household", Change.entity_key.in_(keys[start : start + _CHUNK])
            )
            .group_by(Change.entity_key)
        )
        versions.update({int(row[0]): row[1] for row in session.execute(query)})
    return versions


def working_set_hamlets(session: Session, scope: Scope) -> list[Hamlet]:
    """Return the hamlets inside ``scope``, by id."""
    query = select(Hamlet).where(Hamlet.id.in_(hamlets_in_scope(scope))).order_by(Hamlet.id)
    return list(session.scalars(query))


def hamlets_by_id(session: Session, ids: Iterable[int]) -> dict[int, Hamlet]:
    wanted = sorted(set(ids))
    return {h.id: h for h in session.scalars(select(Hamlet).where(Hamlet.id.in_(wanted)))}


def households(session: Session, ids: Iterable[int]) -> list[Household]:
    """Return the households that exist among ``ids`` with their members."""
    wanted = sorted(set(ids))
    found: list[Household] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found += session.scalars(select(Household).where(Household.id.in_(chunk)))
    return found


def household(session: Session, household_id: int, lock: bool = False) -> Household | None:
    query = select(Household).where(Household.id == household_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def current_classes(session: Session, household_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Return each household's class in its latest year on record: (year, class)."""
    wanted = sorted(set(household_ids))
    classes: dict[int, tuple[int, str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(
            HouseholdYear.household_id, HouseholdYear.year, HouseholdYear.household_class
        ).where(HouseholdYear.household_id.in_(wanted[start : start + _CHUNK]))
        for household_id, year, household_class in session.execute(query):
            if household_id not in classes or classes[household_id][0] < year:
                classes[household_id] = (year, household_class)
    return classes


def codes_taken(session: Session, codes: Iterable[str]) -> dict[tuple[int, str], int]:
    """Return the id of the existing household of each taken code, by commune and code
    (each commune numbers its own households)."""
    query = select(Household.commune_id, Household.code, Household.id)
    return {
        (row[0], row[1]): row[2]
        for chunk in _chunks(codes)
        for row in session.execute(query.where(_among(session, Household.code, chunk)))
    }


def insert_households(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert household rows in one statement and return their ids in order."""
    result = session.connection().execute(
        insert(_HOUSEHOLDS).returning(_HOUSEHOLDS.c.id, sort_by_parameter_order=True),
        rows,
    )
    return [row[0] for row in result]


def insert_members(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(cast(Table, Member.__table__)), rows)


def records(session: Session, uuids: Iterable[str]) -> dict[str, PushedRecord]:
    """Return the pushed records among ``uuids``."""
    return {
        r.uuid: r
        for chunk in _chunks(uuids)
        for r in session.scalars(
            select(PushedRecord).where(_among(session, PushedRecord.uuid, chunk))
        )
    }


def insert_records(session: Session, rows: list[dict[str, Any]]) -> None:
    """Keep pushed records (every column but ``received_at``) with their outcomes."""
    if not rows:
        return
    connection = session.connection()
    received = utcnow()
    if connection.dialect.name == "postgresql":
        arrays = {name: [row[name] for row in rows] for name in _RECORD_COLUMNS}
        arrays["outcome"] = [orjson.dumps(row["outcome"]).decode() for row in rows]
        arrays["received_at"] = [received] * len(rows)
        _unnest(connection, _RECORDS, arrays)
    else:
        connection.execute(insert(_RECORDS), [{**row, "received_at": received} for row in rows])


def conflict(session: Session, conflict_id: int) -> Conflict | None:
    return session.get(Conflict, conflict_id)


def conflicts(session: Session, ids: Iterable[int]) -> list[Conflict]:
    wanted = sorted(set(ids))
    return list(session.scalars(select(Conflict).where(Conflict.id.in_(wanted))))


def conflicts_in(session: Session, scope: Scope, status: str | None) -> list[Conflict]:
    """Return the conflicts of hamlets inside ``scope``, oldest first."""
    query = select(Conflict).where(Conflict.hamlet_id.in_(hamlets_in_scope(scope)))
    if status is not None:
        query = query.where(Conflict.status == status)
    return list(session.scalars(query.order_by(Conflict.id)))


def photo(session: Session, sha256: str) -> Photo | None:
    return session.get(Photo, sha256)


def add(session: Session, row: Conflict | Photo | GeofenceFlag) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()


def geofence_flag(session: Session, submission_id: int) -> GeofenceFlag | None:
    return session.get(GeofenceFlag, submission_id)
