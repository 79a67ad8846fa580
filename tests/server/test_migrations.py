"""The Alembic revisions build exactly the schema the models describe, and run both ways."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from server.db import make_engine
from server.migrate import is_current, upgrade
from server.models import Base


def test_upgraded_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        # Trigram indexes exist only on PostgreSQL, made by revision 0003 by hand.
        drift = [
            change
            for change in compare_metadata(context, Base.metadata)
            if not (change[0] == "remove_index" and change[1].name.endswith("_trgm"))
        ]
    assert drift == []


def test_database_is_at_head(migrated_url: str) -> None:
    assert is_current(migrated_url)


def test_downgrade_to_empty_and_back(tmp_path: Path) -> None:
    from alembic import command

    from server.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert is_current(url)
