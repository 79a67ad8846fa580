"""A scratch PostgreSQL database for a bench run: created for it and dropped after."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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


_ROOT = Path(__file__).resolve().parents[1]


def _template(root: Path) -> str:
    """Return the name of a database migrated to the head of the migrations of the source
    tree ``root``, made once per set of migrations and kept: a bench copies it in a second
    where running the migrations takes ten or more."""
    migrations = root / "server" / "migrations"
    digest = hashlib.sha256()
    for path in sorted(migrations.rglob("*.py")):
        digest.update(path.relative_to(migrations).as_posix().encode() + path.read_bytes())
    name = f"rasoat_bench_template_{digest.hexdigest()[:12]}"
    with psycopg.connect(_ADMIN, autocommit=True) as conn:
        # One bench makes it while any other waits; the lock ends with the connection.
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return name
        building = f"{name}_{uuid.uuid4().hex[:6]}"
        conn.execute(f'CREATE DATABASE "{building}"')
        try:
            # That tree's own code runs its migrations.
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys; from server.migrate import upgrade; upgrade(sys.argv[1])",
                    f"postgresql+psycopg://postgres@{HOST}:5432/{building}",
                ],
                env=os.environ | {"PYTHONPATH": str(root)},
                cwd=root,
                check=True,
            )
        except BaseException:
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            raise
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


@contextmanager
def migrated_database(
    url: str | None, keep: bool = False, prefix: str = "rasoat_bench", root: Path = _ROOT
) -> Iterator[str]:
    """Yield the URL of a database at the head of the migrations (of the source tree
    ``root``, by default this one): ``url`` when given (then migrated), else a new one on the
    local server copied from a migrated template and dropped afterwards unless ``keep``."""
    if url:
        from server.migrate import upgrade

        upgrade(url)
        yield url
        return
    template = _template(root)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
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
