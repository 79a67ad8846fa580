"""Every write of a household, its members or its class enters the change sequence, whoever
makes it (the registry, surveys, the demo loader, sync itself), so no writer can forget."""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from server.sync import repository

_HOUSEHOLD_PARTS = ("members", "household_years")


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


@event.listens_for(Session, "after_flush")
def _record_household_changes(session: Session, _flush: UOWTransaction) -> None:
    hamlets, by_part = _touched(session)
    if not hamlets and not by_part:
        return
    connection = session.connection()
    for household_id, hamlet_id in repository.hamlets_of(connection, by_part):
        hamlets.setdefault(household_id, set()).add(hamlet_id)
    rows: list[dict[str, Any]] = [
        {"entity": "household", "entity_key": str(household_id), "hamlet_id": hamlet_id}
        for household_id, places in sorted(hamlets.items())
        for hamlet_id in sorted(places)
    ]
    repository.add_changes(connection, rows)
