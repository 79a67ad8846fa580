"""What makes the audit log's chain trustworthy beyond the database: a key and an anchor.

Each entry's ``hash`` is an HMAC under a key the database never holds, so whoever can write to
the table cannot re-chain it after an edit. The anchor, a file outside the database, holds the
sequence number and MAC of the newest committed entry, so deleting the last rows or emptying
the table is found too. The seal travels with the session factory (``install``); a session
without one (tests, tools) uses the demo key and no anchor.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from server.settings import DEMO_SECRET, Settings

_SEAL = "audit_seal"
_WRITTEN = "audit_written"


def derive_key(secret: str) -> bytes:
    """Return the audit key derived from the server's secret (when no own key is set)."""
    return hmac.new(secret.encode(), b"rasoat audit log", hashlib.sha256).digest()


@dataclass(frozen=True)
class Seal:
    """The key the chain's MACs are made with, and the anchor file (None: no anchor)."""

    key: bytes
    anchor: Path | None = None

    @classmethod
    def of(cls, settings: Settings) -> Seal:
        """Return the seal the settings describe."""
        own = settings.audit_key.get_secret_value() if settings.audit_key else None
        key = own.encode() if own else derive_key(settings.secret_key.get_secret_value())
        return cls(key, settings.resolved_audit_anchor)


DEFAULT = Seal(derive_key(DEMO_SECRET))


def mac(key: bytes, fields: list[str]) -> str:
    """Return the MAC of an entry's fields (unit-separated)."""
    return hmac.new(key, "\x1f".join(fields).encode(), hashlib.sha256).hexdigest()


def seal_of(session: Session) -> Seal:
    """Return the seal of the session's factory."""
    seal: Seal = session.info.get(_SEAL, DEFAULT)
    return seal


def written(session: Session, seq: int, entry_mac: str) -> None:
    """Note an entry appended in the session, to anchor once the transaction commits."""
    if seal_of(session).anchor is not None:
        session.info[_WRITTEN] = (seq, entry_mac)


def read_anchor(path: Path) -> tuple[int, str] | None:
    """Return the anchored (sequence number, MAC), or None when there is no anchor yet."""
    try:
        seq, _, entry_mac = path.read_text(encoding="ascii").strip().partition(" ")
    except FileNotFoundError:
        return None
    return int(seq), entry_mac


def write_anchor(path: Path, seq: int, entry_mac: str) -> None:
    """Move the anchor forward to ``seq`` (never back: workers commit in any order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read_anchor(path)
        if current is not None and current[0] >= seq:
            return
        partial = path.with_suffix(".partial")
        partial.write_text(f"{seq} {entry_mac}\n", encoding="ascii")
        os.replace(partial, path)


def replace_anchor(path: Path, seq: int, entry_mac: str) -> None:
    """Set the anchor to ``seq``, back or forward (a restore, by an operator)."""
    path.unlink(missing_ok=True)
    if seq:
        write_anchor(path, seq, entry_mac)


def _after_commit(session: Session) -> None:
    anchored = session.info.pop(_WRITTEN, None)
    anchor = seal_of(session).anchor
    if anchored is not None and anchor is not None:
        write_anchor(anchor, *anchored)


def _after_rollback(session: Session, *_: Any) -> None:
    session.info.pop(_WRITTEN, None)


def install(factory: sessionmaker[Session], seal: Seal) -> None:
    """Give the factory's sessions ``seal``; their commits move the anchor forward."""
    factory.kw["info"] = {**factory.kw.get("info", {}), _SEAL: seal}
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_soft_rollback", _after_rollback)
