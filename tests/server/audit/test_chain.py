"""The audit log records changes and refuses edits; a tampered row, a re-chained log, rows
removed from the end and an emptied table are all found."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.audit import seal
from server.audit.models import AuditEntry
from server.audit.service import verify
from server.auth.security import Security
from tests.server.conftest import World, login, make_world


def test_changes_are_recorded_and_the_chain_verifies(session: Session, world: World) -> None:
    actions = session.scalars(
        AuditEntry.__table__.select().with_only_columns(AuditEntry.action)
    ).all()
    assert {"create", "classify"} <= set(actions)
    report = verify(session)
    assert report.ok
    assert report.checked == len(actions)


def test_updates_and_deletes_are_refused(session: Session, world: World) -> None:
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("UPDATE audit_log SET actor = 'mallory'"))
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("DELETE FROM audit_log"))
    if session.get_bind().dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text("TRUNCATE audit_log"))


def _drop_guard(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        session.execute(text("DROP TRIGGER audit_log_no_truncate ON audit_log"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_a_tampered_row_is_detected(session: Session, world: World) -> None:
    _drop_guard(session)
    session.execute(text('UPDATE audit_log SET after = \'{"class":"not_poor"}\' WHERE seq = 3'))
    report = verify(session)
    assert (report.ok, report.broken_at) == (False, 3)


def test_a_removed_row_is_detected(session: Session, world: World) -> None:
    _drop_guard(session)
    session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    assert verify(session).broken_at == 3


def test_admin_verifies_over_http(client: TestClient, world: World) -> None:
    body = client.get("/api/v1/audit/verify", headers=login(client, "admin")).json()
    assert body["ok"] is True
    assert body["checked"] > 10
    refused = client.get("/api/v1/audit/verify", headers=login(client, "commune_chair"))
    assert refused.json()["error"] == "forbidden"


@pytest.fixture
def sealed(connection: Connection, security: Security, tmp_path: Path) -> Iterator[Session]:
    """A session whose commits move an anchor file, with the conftest world recorded."""
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    seal.install(factory, seal.Seal(seal.DEFAULT.key, tmp_path / "audit.anchor"))
    with factory() as session:
        make_world(session, security)
        yield session


def _remove_rows(session: Session, where: str) -> None:
    _drop_guard(session)
    session.execute(text(f"DELETE FROM audit_log {where}"))


def test_the_anchor_follows_every_commit(sealed: Session, tmp_path: Path) -> None:
    last = sealed.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert last is not None
    assert seal.read_anchor(tmp_path / "audit.anchor") == (last.seq, last.hash)
    assert verify(sealed).ok


def test_an_emptied_log_is_detected(sealed: Session) -> None:
    _drop_guard(sealed)
    if sealed.get_bind().dialect.name == "postgresql":
        sealed.execute(text("TRUNCATE audit_log"))
    else:
        sealed.execute(text("DELETE FROM audit_log"))
    report = verify(sealed)
    assert (report.ok, report.checked, report.broken_at) == (False, 0, 1)


def test_rows_deleted_from_the_end_are_detected(sealed: Session) -> None:
    total = sealed.scalar(select(func.count()).select_from(AuditEntry))
    assert total is not None
    _remove_rows(sealed, f"WHERE seq > {total - 2}")
    report = verify(sealed)
    assert (report.ok, report.broken_at) == (False, total - 1)
    assert report.problem == f"entries {total - 1} to {total} are missing"


@pytest.mark.parametrize("scheme", ["sha256", "another key"])
def test_an_edited_row_re_chained_without_the_key_is_detected(sealed: Session, scheme: str) -> None:
    _drop_guard(sealed)
    sealed.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    entries = sealed.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    previous = entries[1].hash
    for entry in entries[2:]:
        sealed.refresh(entry)
        entry.prev_hash = previous
        key = b"a key guessed by mallory"
        entry.hash = (
            hashlib.sha256(_fields(entry).encode()).hexdigest()
            if scheme == "sha256"
            else seal.mac(key, _fields(entry).split("\x1f"))
        )
        previous = entry.hash
    sealed.flush()
    report = verify(sealed)
    assert (report.ok, report.broken_at) == (False, 3)


def _fields(entry: AuditEntry) -> str:
    values = [
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
    return "\x1f".join(values)
