"""Every write of a household, its members or its class enters the change sequence, whoever
makes it (the registry, surveys, review, the demo loader, sync), so no writer can forget.

``server.households`` installs the listener when the package is first imported: every path
that writes households (the app, the command line, the demo loader, tests) imports it first.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, Table, event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from server.changes.repository import add_changes
from server.households.models import Household

_CHUNK = 1000
_HOUSEHOLD_PARTS = ("members", "household_years")
_HOUSEHOLDS = cast(Table, Household.__table__)


def _hamlets_of(connection: Connection, household_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Return (household id, hamlet id) of the given households that exist."""
    ids = sorted(set(household_ids))
    found: list[tuple[int, int]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(_HOUSEHOLDS.c.id, _HOUSEHOLDS.c.hamlet_id).where(_HOUSEHOLDS.c.id.in_(chunk))
        found += [(row[0], row[1]) for row in connection.execute(query)]
    return found


def _touched(session: Session) -> tuple[dict[int, set[int]], set[int]]:
    """Return the hamlets of each written household known from the flushed objects, and the
    households written through a part (member, yearly class) whose hamlet must be looked up."""
    hamlets: dict[int, set[int]] = {}
    by_part: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table == "households":
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            places = hamlets.setdefault(obj.id, set())
            places.add(obj.hamlet_id)
            # A household moved between hamlets leaves the old hamlet's stream with a tombstone.
            places.update(inspect(obj).attrs.hamlet_id.history.deleted or ())
        elif table in _HOUSEHOLD_PARTS and obj.household_id is not None:
            by_part.add(obj.household_id)
    return hamlets, by_part - set(hamlets)


def _record_household_changes(session: Session, _flush: UOWTransaction) -> None:
    hamlets, by_part = _touched(session)
    if not hamlets and not by_part:
        return
    connection = session.connection()
    for household_id, hamlet_id in _hamlets_of(connection, by_part):
        hamlets.setdefault(household_id, set()).add(hamlet_id)
    rows: list[dict[str, Any]] = [
        {"entity": "household", "entity_key": str(household_id), "hamlet_id": hamlet_id}
        for household_id, places in sorted(hamlets.items())
        for hamlet_id in sorted(places)
    ]
    add_changes(connection, rows)


def install() -> None:
    """Record every session's household writes in the change sequence (once per process)."""
    if not event.contains(Session, "after_flush", _record_household_changes):
        event.listen(Session, "after_flush", _record_household_changes)
