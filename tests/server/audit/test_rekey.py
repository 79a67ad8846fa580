"""Revision 0015 re-chains an existing plain SHA-256 audit log under the key, and refuses to
re-key a log that is already broken."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from server.audit.service import verify
from server.db import make_engine, make_session_factory
from server.migrate import upgrade


def _plain_chain(path: Path, count: int) -> None:
    """Append ``count`` entries hashed as before revision 0015."""
    previous = "0" * 64
    with sqlite3.connect(path) as db:
        for seq in range(1, count + 1):
            fields = [str(seq), f"2026-11-2{seq}T00:00:00+00:00", "", "cli", "create"]
            fields += ["province", str(seq), "", f'{{"code":"{seq}"}}', previous]
            digest = hashlib.sha256("\x1f".join(fields).encode()).hexdigest()
            db.execute(
                "INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, "
                "before, after, prev_hash, hash) VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, ?, ?)",
                [*fields[:2], *fields[3:7], fields[8], previous, digest],
            )
            previous = digest


def test_an_intact_log_is_re_chained_under_the_key(tmp_path: Path) -> None:
    path = tmp_path / "rekey.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url, "0014")
    _plain_chain(path, 5)
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        report = verify(session)
    engine.dispose()
    assert (report.ok, report.checked) == (True, 5)


def test_a_broken_log_is_not_re_chained(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url, "0014")
    _plain_chain(path, 3)
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
        db.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    with pytest.raises(RuntimeError, match="audit entry 2"):
        upgrade(url)
