"""The second copy of each user's count of failed offline sign-ins, kept outside the database
file (``unlock-ledger.json`` beside it), so that editing the database alone cannot reset the
count: ``Accounts`` refuses a user whose two copies disagree or whose ledger entry is missing.
docs/android.md ("The tablet key") says what this does and does not stop.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Protocol

FILE_NAME = "unlock-ledger.json"


class Ledger(Protocol):
    """Failed sign-ins per username since the last success."""

    def read(self, username: str) -> int | None: ...

    def write(self, username: str, failures: int) -> None: ...


class FileLedger:
    """A small JSON file, replaced whole on each write (a crash leaves the old or the new)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _all(self) -> dict[str, int]:
        try:
            found = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return {str(name): int(count) for name, count in found.items()}

    def read(self, username: str) -> int | None:
        return self._all().get(username)

    def write(self, username: str, failures: int) -> None:
        counts = self._all()
        counts[username] = failures
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(counts, out)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(self.path)


class ConnectionLedger:
    """For a database in memory (tests), which has no file to edit: a TEMP table of the
    connection, which lives and dies with it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS unlock_ledger"
            " (username TEXT PRIMARY KEY, failures INTEGER NOT NULL)"
        )

    def read(self, username: str) -> int | None:
        row = self.db.execute(
            "SELECT failures FROM temp.unlock_ledger WHERE username = ?", (username,)
        ).fetchone()
        return None if row is None else int(row[0])

    def write(self, username: str, failures: int) -> None:
        self.db.execute(
            "INSERT INTO temp.unlock_ledger (username, failures) VALUES (?, ?)"
            " ON CONFLICT (username) DO UPDATE SET failures = excluded.failures",
            (username, failures),
        )


def ledger_beside(db: sqlite3.Connection) -> Ledger:
    """Return the ledger of ``db``: a file beside its database file, or the connection's own
    for a database in memory."""
    database_file = db.execute("PRAGMA database_list").fetchone()[2]
    if not database_file:
        return ConnectionLedger(db)
    return FileLedger(Path(database_file).with_name(FILE_NAME))
