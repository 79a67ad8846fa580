"""PostgreSQL as deployed: migrations run as the database's owner, the API as its own role
(deploy/postgres/app-role.sql), which may add to and read the audit log but never change,
delete or empty it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from server.migrate import upgrade
from tests.conftest import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, postgres_reachable

SCRIPT = Path(__file__).parents[3] / "deploy" / "postgres" / "app-role.sql"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL not reachable"),
]


def _url(user: str, database: str) -> str:
    return f"postgresql://{user}@{POSTGRES_HOST}:{POSTGRES_PORT}/{database}"


@pytest.fixture(scope="module")
def deployed() -> Iterator[tuple[str, str]]:
    """A database as the deployment makes it: owned by its own role, the API role created by
    a superuser and given its privileges by the owner before the first migration. Yields the
    database name and the API role."""
    tag = uuid.uuid4().hex[:8]
    owner, app, database = f"rasoat_owner_{tag}", f"rasoat_app_{tag}", f"rasoat_roles_{tag}"
    superuser = _url(POSTGRES_USER, "postgres")
    with psycopg.connect(superuser, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN')
        conn.execute(f'CREATE ROLE "{app}" LOGIN')
        conn.execute(f'CREATE DATABASE "{database}" OWNER "{owner}"')
    try:
        with psycopg.connect(_url(owner, database), autocommit=True) as conn:
            conn.execute(SCRIPT.read_text().replace("rasoat_app", app).encode())
        upgrade(_url(owner, database).replace("postgresql://", "postgresql+psycopg://"))
        yield database, app
    finally:
        with psycopg.connect(superuser, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{app}"')
            conn.execute(f'DROP ROLE IF EXISTS "{owner}"')


INSERT = (
    "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, prev_hash, hash) "
    "VALUES (1, '2026-12-02T00:00:00+00:00', 'system', 'create', 'province', '1', "
    "repeat('0', 64), repeat('a', 64))"
)


def test_the_api_role_adds_to_and_reads_the_audit_log(deployed: tuple[str, str]) -> None:
    database, app = deployed
    with psycopg.connect(_url(app, database)) as conn:
        conn.execute(INSERT)
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
        conn.execute("INSERT INTO provinces (code, name) VALUES ('38', 'Thanh Hóa')")
        conn.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DROP TRIGGER audit_log_no_change ON audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    ],
)
def test_the_api_role_cannot_change_the_audit_log(
    deployed: tuple[str, str], statement: str
) -> None:
    database, app = deployed
    with psycopg.connect(_url(app, database)) as conn:
        conn.execute(INSERT)
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(statement)
