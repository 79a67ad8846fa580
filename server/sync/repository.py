"""SQL of sync: pushed records, conflicts and photos (the households a device holds are the
households domain's queries, ``server.households.repository``)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from enum import IntEnum
from typing import Any, cast

import orjson
from sqlalchemy import (
    Table,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from server.auth.policy import Scope
from server.changes.bulk import insert_columns
from server.changes.repository import versions
from server.db import among, utcnow
from server.geography.models import Hamlet
from server.geography.repository import hamlets_in_scope
from server.households.models import Household
from server.sync.models import Conflict, Photo, PushedRecord

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


def records(session: Session, uuids: Iterable[str]) -> dict[str, PushedRecord]:
    """Return the pushed records among ``uuids``."""
    return {
        r.uuid: r
        for chunk in _chunks(uuids)
        for r in session.scalars(
            select(PushedRecord).where(among(session, PushedRecord.uuid, chunk))
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


def outcomes(session: Session, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the outcome of each pushed record among ``uuids``."""
    query = select(_RECORDS.c.uuid, _RECORDS.c.outcome)
    return {
        row[0]: row[1]
        for chunk in _chunks(uuids)
        for row in session.execute(query.where(among(session, PushedRecord.uuid, chunk)))
    }
