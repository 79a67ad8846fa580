"""SQL of the audit log."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.changes.repository import lock_writers


def lock_chain(session: Session) -> None:
    """Serialise appends so two transactions never extend the chain from the same row.
    SQLite serialises writers already; the unique seq refuses a fork either way. It is the
    change sequence's writers' lock: one lock for both, so no two writers deadlock taking
    them in opposite orders."""
    lock_writers(session.connection())


def last_entry(session: Session) -> AuditEntry | None:
    """Return the newest audit entry, or None for an empty log."""
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()


def entry(session: Session, seq: int) -> AuditEntry | None:
    return session.get(AuditEntry, seq)


def add(session: Session, entry: AuditEntry) -> None:
    """Insert ``entry`` and flush it."""
    session.add(entry)
    session.flush()


def entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    """Yield every entry in chain order, reading ``batch`` rows at a time."""
    after = -1
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
