"""The backup and restore procedure of deploy/ works: a dump of a live database restores into
an empty one with the same records and an intact audit chain, and never over existing data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from server.auth.security import Security
from server.db import make_engine, make_session_factory
from server.households.models import Household, Member
from server.migrate import upgrade
from tests.conftest import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, postgres_reachable
from tests.server.conftest import make_world

DEPLOY = Path(__file__).parents[3] / "deploy"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL not reachable"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed"),
]
ADMIN = f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    names = [f"rasoat_restore_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names[0], names[1]
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(name: str) -> str:
    return f"postgresql+psycopg://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"


def _env(database: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PGHOST": POSTGRES_HOST,
        "PGPORT": str(POSTGRES_PORT),
        "PGUSER": POSTGRES_USER,
        "PGDATABASE": database,
        "RASOAT_DATABASE_URL": _url(database),
        "RASOAT_DATA_DIR": str(data_dir),
        **extra,
    }


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        counts = (
            session.scalar(select(func.count()).select_from(Household)) or 0,
            session.scalar(select(func.count()).select_from(Member)) or 0,
        )
    engine.dispose()
    return counts


def test_backup_then_restore_into_an_empty_database(
    databases: tuple[str, str], security: Security, tmp_path: Path
) -> None:
    live, empty = databases
    upgrade(_url(live))
    engine = make_engine(_url(live))
    with make_session_factory(engine)() as session:
        make_world(session, security)
    engine.dispose()

    backup = subprocess.run(
        [str(DEPLOY / "backup.sh")],
        env=_env(live, tmp_path, BACKUP_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("rasoat-*.dump")

    restore = subprocess.run(
        [str(DEPLOY / "restore.sh"), str(dump)],
        env=_env(empty, tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr + restore.stdout
    assert "audit chain intact" in restore.stdout
    assert (tmp_path / "audit.anchor").exists()
    assert _counts(_url(empty)) == _counts(_url(live)) == (4, 8)

    again = subprocess.run(
        [str(DEPLOY / "restore.sh"), str(dump)],
        env=_env(empty, tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 2
    assert "refusing" in again.stderr
