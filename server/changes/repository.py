"""SQL of the change sequence: the writers' lock, appending changes, reading what changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, func, insert, or_, select, text
from sqlalchemy.orm import Session

from server.changes.bulk import insert_columns
from server.changes.models import Change
from server.db import among

_CHUNK = 1000
_CHANGES = cast(Table, Change.__table__)
_COLUMNS = ("entity", "entity_key", "hamlet_id", "device_id")
# Any constant: every writer of the change sequence or the audit log takes this
# transaction-scoped lock (server.audit.repository.lock_chain takes it too). One lock for both
# means a transaction that writes both, in whichever order, never waits on another holding
# the second one.
WRITERS_LOCK = 0x7261736F6174


def lock_writers(connection: Connection) -> None:
    """Take the writers' lock until the transaction ends; holding it while allocating ``seq``
    makes the sequence grow in commit order (SQLite serialises writers already)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK})


def add_changes(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Append changes (entity, entity_key and hamlet_id or device_id) and return their seq
    numbers in the order given."""
    if not rows:
        return []
    lock_writers(connection)
    if connection.dialect.name == "postgresql":
        arrays = {name: [row.get(name) for row in rows] for name in _COLUMNS}
        return insert_columns(connection, _CHANGES, arrays, returning="seq")
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


def versions(session: Session, entity: str, keys: Iterable[str]) -> dict[str, int]:
    """Return the version of each ``entity`` among ``keys``: the seq of its latest change."""
    wanted = sorted(set(keys))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(Change.entity_key, func.max(Change.seq))
            .where(
                Change.entity == entity,
                among(session, Change.entity_key, wanted[start : start + _CHUNK]),
            )
            .group_by(Change.entity_key)
        )
        found.update({row[0]: row[1] for row in session.execute(query)})
    return found
