"""Fixtures every part of the suite may use: databases and an X display for the tablet UI.

SQLite always runs. PostgreSQL runs when 127.0.0.1:5432 answers (the machines and CI have it);
each session (and each xdist worker) gets a fresh database that is dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.browser_fixtures"]

POSTGRES_HOST = os.environ.get("RASOAT_TEST_PG_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("RASOAT_TEST_PG_PORT", "5432"))
POSTGRES_USER = os.environ.get("RASOAT_TEST_PG_USER", "postgres")


def postgres_reachable() -> bool:
    """Return True when a PostgreSQL server accepts TCP connections on the test address."""
    try:
        with socket.create_connection((POSTGRES_HOST, POSTGRES_PORT), timeout=1):
            return True
    except OSError:
        return False


def _postgres_url(database: str) -> str:
    return f"postgresql+psycopg://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{database}"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """Yield the URL of a fresh, empty PostgreSQL database, dropped at the end of the session."""
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable on {POSTGRES_HOST}:{POSTGRES_PORT}")
    import psycopg

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"rasoat_test_{worker}_{uuid.uuid4().hex[:8]}"
    admin = f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_url(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of a fresh SQLite database file."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'rasoat.sqlite3'}"


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest) -> str:
    """The same tests run on SQLite and, when reachable, on PostgreSQL."""
    name = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    return str(request.getfixturevalue(name))


@pytest.fixture(scope="session")
def x_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield an X display for UI tests: the existing one, or a private Xvfb started here."""
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("no DISPLAY and Xvfb is not installed (apt-get install -y xvfb)")
    display = f":{100 + os.getpid() % 400}"
    log = Path(tmp_path_factory.mktemp("xvfb")) / "xvfb.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=out,
            stderr=out,
        )
    time.sleep(0.5)
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        os.environ.pop("DISPLAY", None)
