"""Recording changes in the MAC-chained audit log, and checking the chain and its anchor."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from server.audit import repository, seal
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


def entry_mac(key: bytes, entry: AuditEntry) -> str:
    """Return the MAC of ``entry``'s content chained to its predecessor's MAC."""
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
    return seal.mac(key, fields)


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
    entry.hash = entry_mac(seal.seal_of(session).key, entry)
    repository.add(session, entry)
    seal.written(session, entry.seq, entry.hash)
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


def verify(session: Session, anchored: bool = True) -> ChainReport:
    """Return whether every entry's MAC matches its content and its predecessor, and (unless
    ``anchored`` is False) the newest entry is the one the anchor names: none deleted from the
    end, the table not emptied."""
    sealed = seal.seal_of(session)
    previous = GENESIS
    expected_seq = 1
    checked = 0
    for entry in repository.entries(session):
        if entry.seq != expected_seq:
            return ChainReport(checked, entry.seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != previous:
            return ChainReport(checked, entry.seq, "does not follow the previous entry")
        if not hmac.compare_digest(entry_mac(sealed.key, entry), entry.hash):
            return ChainReport(checked, entry.seq, "content does not match its MAC")
        previous = entry.hash
        expected_seq += 1
        checked += 1
    if sealed.anchor is None or not anchored:
        return ChainReport(checked, None, None)
    anchor = seal.read_anchor(sealed.anchor)
    if anchor is None:
        if checked:
            return ChainReport(checked, checked, f"the anchor {sealed.anchor} is missing")
        return ChainReport(checked, None, None)
    seq, anchored_mac = anchor
    if seq > checked:
        return ChainReport(checked, checked + 1, f"entries {checked + 1} to {seq} are missing")
    if seq and not hmac.compare_digest(anchored_mac, _mac_of(session, seq)):
        return ChainReport(checked, seq, "is not the entry the anchor names")
    return ChainReport(checked, None, None)


def _mac_of(session: Session, seq: int) -> str:
    entry = repository.entry(session, seq)
    return "" if entry is None else entry.hash


def reanchor(session: Session) -> ChainReport:
    """Check the chain without its anchor and, when intact, anchor it at its newest entry:
    after restoring a backup, whose log ends before the anchor of the lost database."""
    report = verify(session, anchored=False)
    anchor = seal.seal_of(session).anchor
    last = repository.last_entry(session)
    if report.ok and anchor is not None:
        seal.replace_anchor(
            anchor, 0 if last is None else last.seq, "" if last is None else last.hash
        )
    return report
