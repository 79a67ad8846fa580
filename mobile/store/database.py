"""Open the tablet's database file: WAL journal, foreign keys, schema brought up to date."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mobile.store.migrations import upgrade


def open_database(path: Path | str) -> sqlite3.Connection:
    """Return a connection to the database at ``path`` (``":memory:"`` for tests), migrated.

    The connection is in autocommit mode: every write is its own transaction unless wrapped in
    ``with transaction(db)``. With WAL and ``synchronous=NORMAL`` a write survives the app being
    killed the moment after it returns (only a power cut may lose the last one).
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    upgrade(db)
    return db
