"""The audit log records changes, refuses edits, and a tampered row breaks the chain."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.audit.service import verify
from tests.server.conftest import World, login


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


def _drop_guard(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
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
