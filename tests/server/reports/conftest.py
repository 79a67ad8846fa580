"""The demo commune for the reports tests, built once per session rather than once per
database: ``build_demo`` runs in a scratch SQLite database, its rows are copied, and each test
gets them inserted into its own rolled-back transaction (``tests/server/conftest.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.orm import Session

import server.app  # noqa: F401 (imports every domain, so the metadata lists every table)
from server.auth.security import Security
from server.db import Base, make_engine
from server.demo.service import DemoSummary, build_demo
from server.migrate import upgrade


@dataclass(frozen=True)
class DemoRows:
    """What ``build_demo`` returned, and every row it wrote, per table in dependency order."""

    summary: DemoSummary
    tables: list[tuple[Table, list[dict[str, Any]]]]


@pytest.fixture(scope="session")
def demo_rows(tmp_path_factory: pytest.TempPathFactory, security: Security) -> DemoRows:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        summary = build_demo(session, security)
        session.commit()
    with engine.connect() as connection:
        tables = [
            (table, [dict(row._mapping) for row in connection.execute(select(table))])
            for table in Base.metadata.sorted_tables
        ]
    engine.dispose()
    return DemoRows(summary, [(table, rows) for table, rows in tables if rows])


@pytest.fixture
def demo(connection: Connection, demo_rows: DemoRows) -> DemoSummary:
    """The demo commune inside the test's transaction; return what ``build_demo`` returned."""
    for table, rows in demo_rows.tables:
        connection.execute(table.insert(), rows)
        serial = table.autoincrement_column
        if connection.dialect.name == "postgresql" and serial is not None:
            # The rows keep their ids; move the id sequence past them so the test's own
            # inserts do not collide. setval is not rolled back, which only leaves a gap.
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, :column), :last)"),
                {
                    "table": table.name,
                    "column": serial.name,
                    "last": connection.scalar(select(func.max(serial))),
                },
            )
    return demo_rows.summary
