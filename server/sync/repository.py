"""SQL of sync: pushed records, conflicts, photos, and the households a device holds."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from enum import IntEnum
from typing import Any, cast

import orjson
from sqlalchemy import (
    Table,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from server.auth.policy import Scope
from server.changes.bulk import insert_columns
from server.changes.repository import versions
from server.db import among, utcnow
from server.geography.models import Hamlet
from server.geography.repository import hamlets_in_scope
from server.households.models import Household, Member
from server.sync.models import Conflict, Photo, PushedRecord
from shared.household_paths import HOUSEHOLD_FIELDS, MEMBER_FACTS, MEMBER_FIELDS

_CHUNK = 1000
_HOUSEHOLDS = cast(Table, Household.__table__)
_RECORDS = cast(Table, PushedRecord.__table__)


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


class LockSpace(IntEnum):
    """The first key of push's two-key advisory locks (a key space apart from the writers'
    one-key lock: PostgreSQL never confuses the two forms)."""

    RECORD_ID = 0x5253_0001
    HOUSEHOLD_CODE = 0x5253_0002


def lock_keys(session: Session, space: LockSpace, keys: Iterable[str]) -> None:
    """Take a transaction-scoped lock on each of ``keys`` (PostgreSQL; SQLite serialises
    writers already). Keys are hashed to 32 bits and taken in ascending order, so two pushes
    sharing keys never wait on each other crosswise; a collision only makes two unrelated
    pushes wait in turn."""
    if session.get_bind().dialect.name != "postgresql":
        return
    hashed = sorted({zlib.crc32(key.encode()) - 2**31 for key in keys})
    if hashed:
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:space, k) FROM unnest(CAST(:keys AS int[])) k"),
            {"space": int(space), "keys": hashed},
        )


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


_RECORD_COLUMNS = ("uuid", "kind", "content_hash", "device_id", "user_id", "household_id")


def household_versions(session: Session, household_ids: Iterable[int]) -> dict[int, int]:
    """Return each household's version: the seq of its latest change."""
    found = versions(session, "household", (str(i) for i in household_ids))
    return {int(key): seq for key, seq in found.items()}


def working_set_hamlets(session: Session, scope: Scope) -> list[Hamlet]:
    """Return the hamlets in use inside ``scope``, by id (those merged away are not worked
    in; their households are in the merged hamlet's stream)."""
    query = (
        select(Hamlet)
        .where(Hamlet.id.in_(hamlets_in_scope(scope)), Hamlet.retired_on.is_(None))
        .order_by(Hamlet.id)
    )
    return list(session.scalars(query))


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


# A row of the pulled columns (attribute access by column name); SQLAlchemy types a row by
# its columns' count, which a shared alias cannot spell.
PulledRow = Any


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
    """Set ``EDITED_FIELDS`` of each household given (``row_id`` and every field)."""
    if rows:
        query = update(_HOUSEHOLDS).where(_HOUSEHOLDS.c.id == bindparam("row_id"))
        session.connection().execute(query, rows)


def update_members(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set ``EDITED_MEMBER_FIELDS`` of each member given (``row_id`` and every field)."""
    if rows:
        query = update(_MEMBERS).where(_MEMBERS.c.id == bindparam("row_id"))
        session.connection().execute(query, rows)


def expire_household(session: Session, household_id: int) -> None:
    """Make the session reload the household and its members it may hold as objects, after
    statements that wrote them around it."""
    for held in list(session.identity_map.values()):
        if (isinstance(held, Household) and held.id == household_id) or (
            isinstance(held, Member) and held.household_id == household_id
        ):
            session.expire(held)


def delete_members(session: Session, member_ids: list[int]) -> None:
    if member_ids:
        session.connection().execute(delete(_MEMBERS).where(_MEMBERS.c.id.in_(member_ids)))


def household(session: Session, household_id: int, lock: bool = False) -> Household | None:
    query = select(Household).where(Household.id == household_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def codes_taken(session: Session, codes: Iterable[str]) -> dict[tuple[int, str], int]:
    """Return the id of the existing household of each taken code, by commune and code
    (each commune numbers its own households)."""
    query = select(Household.commune_id, Household.code, Household.id)
    return {
        (row[0], row[1]): row[2]
        for chunk in _chunks(codes)
        for row in session.execute(query.where(among(session, Household.code, chunk)))
    }


def insert_households(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert household rows (each with the same keys) in one statement and return their
    ids in order."""
    connection = session.connection()
    now = utcnow()
    # The model's defaults, which an INSERT from arrays does not apply.
    rows = [{**row, "created_at": now, "updated_at": now} for row in rows]
    if connection.dialect.name == "postgresql":
        # One array per column: SQLAlchemy's multi-row VALUES spent more CPU having psycopg
        # parse its hundreds of placeholders than the database spent inserting.
        arrays = {name: [row[name] for row in rows] for name in rows[0]}
        return insert_columns(connection, _HOUSEHOLDS, arrays, returning="id")
    result = connection.execute(
        insert(_HOUSEHOLDS).returning(_HOUSEHOLDS.c.id, sort_by_parameter_order=True),
        rows,
    )
    return [row[0] for row in result]


def insert_members(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert member rows (each with the same keys) in one statement."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        insert_columns(
            connection, _MEMBERS, {name: [row[name] for row in rows] for name in rows[0]}
        )
    else:
        connection.execute(insert(_MEMBERS), rows)


def records(session: Session, uuids: Iterable[str]) -> dict[str, PushedRecord]:
    """Return the pushed records among ``uuids``."""
    return {
        r.uuid: r
        for chunk in _chunks(uuids)
        for r in session.scalars(
            select(PushedRecord).where(among(session, PushedRecord.uuid, chunk))
        )
    }


def outcomes(session: Session, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the outcome of each pushed record among ``uuids``."""
    query = select(_RECORDS.c.uuid, _RECORDS.c.outcome)
    return {
        row[0]: row[1]
        for chunk in _chunks(uuids)
        for row in session.execute(query.where(among(session, PushedRecord.uuid, chunk)))
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
        insert_columns(connection, _RECORDS, arrays)
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


def add(session: Session, row: Conflict | Photo) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()
