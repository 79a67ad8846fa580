"""A scratch PostgreSQL database for a bench run: created for it and dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

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
