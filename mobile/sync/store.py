"""The tablet's sync database: the outbox of records and photos waiting to go, the working set
pulled from the server, and the cursor. The schema moves forward through numbered steps counted
in ``PRAGMA user_version``, so it lives in a file of its own (the app keeps one per user,
``sync-<user>.sqlite3``), never inside the app's ``rasoat.sqlite3`` which counts its own steps
the same way.

Record bodies, outcomes and pulled entities go through a ``Codec``: plain JSON by default, the
user's sealing key in the app (they carry households' personal data)."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from shared.household_paths import HOUSEHOLD_FIELDS, MEMBER_FIELDS, set_at, value_at

STEPS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        outcome TEXT,
        attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE photo_outbox (
        sha256 TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        household_id INTEGER NOT NULL,
        sent INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending'
    );
    CREATE TABLE entities (
        entity TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        hamlet_id INTEGER,
        data TEXT NOT NULL,
        PRIMARY KEY (entity, key)
    );
    CREATE INDEX entities_hamlet ON entities (hamlet_id);
    """,
    # Step 2: a filled survey's record kind is "survey" (it was "submission"). The sealed body
    # of a record queued before keeps its kind of then, which the server reads through the
    # 2027 review season (docs/sync.md, "Deprecated").
    """
    UPDATE outbox SET kind = 'survey' WHERE kind = 'submission';
    """,
)


class Codec(Protocol):
    """Turns a JSON value into what a row stores and back; ``context`` names the row, so a
    sealing codec can bind the stored value to it."""

    def dump(self, value: Any, context: str) -> str | bytes: ...

    def load(self, stored: str | bytes, context: str) -> Any: ...


class PlainJson:
    """Stores JSON text as it is."""

    def dump(self, value: Any, context: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    def load(self, stored: str | bytes, context: str) -> Any:
        return json.loads(stored)


PENDING = "pending"
DONE = "done"
REFUSED = "refused"


@dataclass(frozen=True)
class OutboxRecord:
    seq: int
    id: str
    kind: str
    body: dict[str, Any]
    state: str
    outcome: dict[str, Any] | None


@dataclass(frozen=True)
class QueuedPhoto:
    sha256: str
    path: Path
    size: int
    household_id: int
    state: str


class Store:
    """The tablet's sync database at ``path`` (``:memory:`` for tests)."""

    def __init__(self, path: Path | str, codec: Codec | None = None) -> None:
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self.codec: Codec = codec or PlainJson()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, step in enumerate(STEPS[version:], start=version + 1):
            with self._transaction() as db:
                for statement in step.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # -- meta

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- outbox

    def enqueue(self, kind: str, body: dict[str, Any], record_id: str | None = None) -> str:
        """Queue a record to push and return its id (its idempotency key). Queueing an id again
        keeps the record first queued: a run interrupted before it noted what it queued may
        simply queue everything again."""
        record_id = record_id or str(uuid.uuid4())
        full = {"kind": kind, "id": record_id, **body}
        with self._transaction() as db:
            db.execute(
                "INSERT INTO outbox (id, kind, body) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (record_id, kind, self.codec.dump(full, _row("outbox", record_id))),
            )
        return record_id

    def create_household(self, hamlet_id: int, code: str, head_name: str, **fields: Any) -> str:
        """Queue a household registered on the tablet; return the record id."""
        return self.enqueue(
            "household.create",
            {"hamlet_id": hamlet_id, "code": code, "head_name": head_name, **fields},
        )

    def edit_household(self, household_id: int, changes: dict[str, Any]) -> str:
        """Queue changed fields of a pulled household, each with the value it had here, and
        show the change locally at once; return the record id."""
        held = self.entity("household", str(household_id))
        if held is None:
            raise KeyError(f"household {household_id} is not on this tablet")
        data, version = held
        document = _document(data)
        base = {path: value_at(document, path) for path in changes}
        record_id = self.enqueue(
            "household.edit",
            {"household_id": household_id, "base_version": version, "set": changes, "base": base},
        )
        for path, value in changes.items():
            set_at(document, path, value)
        self._save_entity(
            "household",
            str(household_id),
            version,
            data["hamlet_id"],
            _from_document(data, document),
        )
        return record_id

    def queue_survey(self, body: dict[str, Any], survey_uuid: str | None = None) -> str:
        """Queue a filled survey (SurveyPush fields without kind and id) under
        ``survey_uuid`` (a new one when not given); return the id."""
        return self.enqueue("survey", body, survey_uuid)

    def pending(self, limit: int) -> list[OutboxRecord]:
        rows = self._db.execute(
            "SELECT seq, id, kind, body, state, outcome FROM outbox WHERE state = ? "
            "ORDER BY seq LIMIT ?",
            (PENDING, limit),
        ).fetchall()
        return [self._record(row) for row in rows]

    def outbox(self) -> list[OutboxRecord]:
        rows = self._db.execute(
            "SELECT seq, id, kind, body, state, outcome FROM outbox ORDER BY seq"
        ).fetchall()
        return [self._record(row) for row in rows]

    def _record(self, row: tuple[Any, ...]) -> OutboxRecord:
        context = _row("outbox", row[1])
        return OutboxRecord(
            row[0],
            row[1],
            row[2],
            self.codec.load(row[3], context),
            row[4],
            None if row[5] is None else self.codec.load(row[5], context),
        )

    def settle(self, outcomes: list[dict[str, Any]]) -> None:
        """Record the server's outcome of pushed records: done, or refused (kept, with the
        reason, for the enumerator to see)."""
        with self._transaction() as db:
            for outcome in outcomes:
                state = REFUSED if outcome.get("result") == "refused" else DONE
                db.execute(
                    "UPDATE outbox SET state = ?, outcome = ?, attempts = attempts + 1 "
                    "WHERE id = ? AND state != ?",
                    (
                        state,
                        self.codec.dump(outcome, _row("outbox", outcome["id"])),
                        outcome["id"],
                        DONE,
                    ),
                )

    # -- photos

    def queue_photo(self, sha256: str, path: Path, size: int, household_id: int) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO photo_outbox (sha256, path, size, household_id) "
                "VALUES (?, ?, ?, ?)",
                (sha256, str(path), size, household_id),
            )

    def photos(self, state: str | None = PENDING) -> list[QueuedPhoto]:
        query = "SELECT sha256, path, size, household_id, state FROM photo_outbox"
        rows = self._db.execute(
            query + (" WHERE state = ?" if state else "") + " ORDER BY rowid",
            (state,) if state else (),
        ).fetchall()
        return [QueuedPhoto(r[0], Path(r[1]), r[2], r[3], r[4]) for r in rows]

    def photo_refused(self, sha256: str) -> None:
        """Keep a photo the server will never take (too large, not an image) as refused: it
        stays on the tablet and is not sent again."""
        with self._transaction() as db:
            db.execute("UPDATE photo_outbox SET state = ? WHERE sha256 = ?", (REFUSED, sha256))

    def photo_sent(self, sha256: str, sent: int, complete: bool) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE photo_outbox SET sent = ?, state = ? WHERE sha256 = ?",
                (sent, DONE if complete else PENDING, sha256),
            )

    # -- working set

    def apply(self, items: list[dict[str, Any]], cursor: str) -> None:
        """Apply a pulled page and move the cursor, in one transaction."""
        with self._transaction() as db:
            for item in items:
                entity, key, data = item["e"], item["k"], item["d"]
                if entity == "hamlet" and data is None:
                    db.execute("DELETE FROM entities WHERE hamlet_id = ?", (int(key),))
                if entity == "hamlet" and data and data.get("merged_from"):
                    merged = [int(h) for h in data["merged_from"]]
                    db.execute(
                        "UPDATE entities SET hamlet_id = ? WHERE entity != 'hamlet' AND hamlet_id"
                        f" IN ({','.join('?' * len(merged))})",
                        (int(key), *merged),
                    )
                if data is None:
                    db.execute("DELETE FROM entities WHERE entity = ? AND key = ?", (entity, key))
                    continue
                hamlet = int(key) if entity == "hamlet" else data.get("hamlet_id")
                db.execute(
                    "INSERT OR REPLACE INTO entities (entity, key, version, hamlet_id, data) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (entity, key, item["v"], hamlet, self.codec.dump(data, _row(entity, key))),
                )
                if entity == "outcome":
                    db.execute(
                        "UPDATE outbox SET state = CASE WHEN ? = 'refused' THEN ? ELSE ? END, "
                        "outcome = ? WHERE id = ? AND state = ?",
                        (
                            data.get("result"),
                            REFUSED,
                            DONE,
                            self.codec.dump(data, _row("outbox", key)),
                            key,
                            PENDING,
                        ),
                    )
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', ?)", (cursor,))

    def _save_entity(
        self, entity: str, key: str, version: int, hamlet_id: int | None, data: dict[str, Any]
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO entities (entity, key, version, hamlet_id, data) "
                "VALUES (?, ?, ?, ?, ?)",
                (entity, key, version, hamlet_id, self.codec.dump(data, _row(entity, key))),
            )

    def entity(self, entity: str, key: str) -> tuple[dict[str, Any], int] | None:
        """Return an entity of the working set and its version."""
        row = self._db.execute(
            "SELECT data, version FROM entities WHERE entity = ? AND key = ?", (entity, key)
        ).fetchone()
        return None if row is None else (self.codec.load(row[0], _row(entity, key)), int(row[1]))

    def keys(self, entity: str) -> list[str]:
        """Return the keys of the entities of a kind held here, in order, without reading
        their data."""
        rows = self._db.execute(
            "SELECT key FROM entities WHERE entity = ? ORDER BY key", (entity,)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def entities(self, entity: str) -> dict[str, dict[str, Any]]:
        rows = self._db.execute(
            "SELECT key, data FROM entities WHERE entity = ? ORDER BY key", (entity,)
        ).fetchall()
        return {str(r[0]): self.codec.load(r[1], _row(entity, str(r[0]))) for r in rows}


def _row(table: str, key: str) -> str:
    return f"{table}:{key}"


def _document(data: dict[str, Any]) -> dict[str, Any]:
    """Return a pulled household in the shape edit paths address."""
    return {
        "head_name": data.get("head_name"),
        "address": data.get("address", ""),
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "members": {
            m["member_no"]: {k: m.get(k) for k in MEMBER_FIELDS} for m in data.get("members", [])
        },
    }


def _from_document(data: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    members = [
        {"member_no": no, **{k: v for k, v in m.items() if v is not None}}
        for no, m in document["members"].items()
    ]
    return {
        **data,
        **{k: document[k] for k in HOUSEHOLD_FIELDS},
        "members": members,
    }
