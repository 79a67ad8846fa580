"""A scratch PostgreSQL database for a bench run: created for it and dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

HOST = os.environ.get("RASOAT_TEST_PG_HOST", "127.0.0.1")
_ADMIN = f"postgresql://postgres@{HOST}:5432/postgres"


@contextmanager
def scratch_database(
    url: str | None, keep: bool = False, prefix: str = "rasoat_bench"
) -> Iterator[str]:
    """Yield the URL of the database to use: ``url`` when given, else a new database on the
    local server, dropped afterwards unless ``keep`` (to look at it after the run)."""
    if url:
        yield url
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{HOST}:5432/{name}"
    finally:
        if not keep:
            with psycopg.connect(_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settle(conn: psycopg.Connection[Any], tables: tuple[str, ...]) -> None:
    """After a bulk load with explicit ids: move each table's id sequence past the loaded
    ids (so the API's inserts do not collide), commit, and refresh the planner's statistics
    (a freshly loaded table has none, and the bench measures the plans a live server runs)."""
    with conn.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        cursor.execute("VACUUM ANALYZE")
