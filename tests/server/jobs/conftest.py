"""A database the test commits to, for a worker in another process to read: SQLite and, when
it answers, PostgreSQL; migrated from empty and holding the demo commune (its rows copied from
the reports tests' one build, ``tests/server/reports/conftest.py``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from server.db import make_engine
from server.migrate import upgrade
from tests.conftest import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, postgres_reachable
from tests.server.reports.conftest import DemoRows, demo_rows  # noqa: F401 (a fixture)


def _fresh_postgres() -> Iterator[str]:
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable on {POSTGRES_HOST}:{POSTGRES_PORT}")
    import psycopg

    name = f"rasoat_jobs_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def committed_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    demo_rows: DemoRows,  # noqa: F811 (the fixture imported above)
) -> Iterator[str]:
    """Yield the URL of a fresh database holding the demo commune, committed."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"])
    else:
        urls = _fresh_postgres()
    url = next(urls)
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        for table, rows in demo_rows.tables:
            connection.execute(table.insert(), rows)
            serial = table.autoincrement_column
            if connection.dialect.name == "postgresql" and serial is not None:
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, :column), :last)"),
                    {
                        "table": table.name,
                        "column": serial.name,
                        "last": connection.scalar(select(func.max(serial))),
                    },
                )
    engine.dispose()
    yield url
    next(urls, None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path
