"""Recording changes in the hash-chained audit log, and checking the chain."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from server.audit import repository
from server.audit.models import AuditEntry
from server.db import utcnow

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who made a change: a signed-in user, or an operator at the command line."""

    user_id: int | None
    name: str


SYSTEM = Actor(None, "system")


def canonical(value: Any) -> str | None:
    """Return ``value`` as canonical JSON text (sorted keys), or None."""
    if value is None:
        return None
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str).decode()


def entry_hash(entry: AuditEntry) -> str:
    """Return the hash of ``entry``'s content chained to its predecessor's hash."""
    fields = [
        str(entry.seq),
        entry.at,
        "" if entry.actor_id is None else str(entry.actor_id),
        entry.actor,
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.before or "",
        entry.after or "",
        entry.prev_hash,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append an entry for a change and return it (flushed, not committed)."""
    repository.lock_chain(session)
    last = repository.last_entry(session)
    entry = AuditEntry(
        seq=1 if last is None else last.seq + 1,
        at=(at or utcnow()).isoformat(),
        actor_id=actor.user_id,
        actor=actor.name,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=canonical(before),
        after=canonical(after),
        prev_hash=GENESIS if last is None else last.hash,
    )
    entry.hash = entry_hash(entry)
    repository.add(session, entry)
    return entry


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the chain: how many entries, and the first broken one."""

    checked: int
    broken_at: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> ChainReport:
    """Return whether every entry's hash matches its content and its predecessor."""
    previous = GENESIS
    expected_seq = 1
    checked = 0
    for entry in repository.entries(session):
        if entry.seq != expected_seq:
            return ChainReport(checked, entry.seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != previous:
            return ChainReport(checked, entry.seq, "does not follow the previous entry")
        if entry_hash(entry) != entry.hash:
            return ChainReport(checked, entry.seq, "content does not match its hash")
        previous = entry.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None, None)
