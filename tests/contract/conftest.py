"""Contract fixtures: a fresh database per test (SQLite, and PostgreSQL when reachable),
migrated from empty, whose rows are committed as a real server's would be."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server.db import make_engine
from server.migrate import upgrade
from server.settings import Settings
from tests.conftest import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, postgres_reachable


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'contract.sqlite3'}"
        drop = None
    else:
        if not postgres_reachable():
            pytest.skip("PostgreSQL not reachable")
        import psycopg

        name = f"rasoat_contract_{uuid.uuid4().hex[:8]}"
        admin = f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
        drop = (admin, name)
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    if drop is not None:
        import psycopg

        with psycopg.connect(drop[0], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{drop[1]}" WITH (FORCE)')


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(demo=True, password_time_cost=1, password_memory_kib=64)
