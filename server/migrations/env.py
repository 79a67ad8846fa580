"""Alembic environment: configured in code (server.migrate), no alembic.ini needed."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from server.db import make_engine
from server.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Migrate over the connection handed in by server.migrate, or one made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as new_connection:
        if new_connection.dialect.name == "sqlite":
            _run_without_foreign_keys(new_connection)
        else:
            _run(new_connection)
    engine.dispose()


def _run_without_foreign_keys(connection: Connection) -> None:
    """Migrate SQLite with its foreign keys off, then check every reference still holds.

    SQLite alters a table by copying it and dropping the old one (Alembic's batch mode); with
    foreign keys on, dropping a table that other rows refer to fails ("FOREIGN KEY constraint
    failed"), so a database holding rounds could not take a revision altering review_rounds.
    The pragma is ignored inside a transaction, so it is set before Alembic's begins.
    """
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        _run(connection)
        broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        connection.rollback()
        if broken:
            raise RuntimeError(f"the migration left rows referring to nothing: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run()
