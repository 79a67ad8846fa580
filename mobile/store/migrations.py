"""The tablet's SQLite schema, moved forward one numbered step at a time (like Electrum's
``wallet_db``): the file records the last step applied in ``PRAGMA user_version``; opening it
applies the missing steps in order, each in its own transaction. Steps never change once shipped
and there is no way back: a file written by a newer app is refused rather than damaged.

The sync outbox counts its own steps in ``user_version`` too, so it lives in a file of its own
per user (``sync-<user>.sqlite3``, see ``mobile/sync/bridge.py``) and never touches this one.
"""

from __future__ import annotations

import sqlite3


class StoreTooNew(Exception):
    """The database was written by a newer version of the app."""


# Step 1: device settings, users with their offline verifier, assigned hamlets, households,
# reviews (drafts and finished) and photos.
_STEP_1 = """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            server_user_id INTEGER,
            full_name TEXT NOT NULL,
            role TEXT NOT NULL,
            kdf_salt BLOB NOT NULL,
            kdf_n INTEGER NOT NULL,
            kdf_r INTEGER NOT NULL,
            kdf_p INTEGER NOT NULL,
            verifier BLOB NOT NULL,
            key_salt BLOB NOT NULL,
            wrapped_key BLOB NOT NULL,
            sealed_tokens BLOB,
            created_at TEXT NOT NULL,
            last_online_at TEXT
        );
        CREATE TABLE hamlets (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            hamlet_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            commune TEXT NOT NULL DEFAULT '',
            area TEXT NOT NULL DEFAULT 'rural',
            PRIMARY KEY (user_id, hamlet_id)
        );
        CREATE TABLE households (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            household_id INTEGER NOT NULL,
            hamlet_id INTEGER NOT NULL,
            code TEXT NOT NULL,
            sealed BLOB NOT NULL,
            PRIMARY KEY (user_id, household_id)
        );
        CREATE INDEX households_by_hamlet ON households (user_id, hamlet_id);
        CREATE TABLE reviews (
            review_id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            household_id INTEGER NOT NULL,
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('draft', 'ready', 'sent', 'returned')),
            sealed BLOB NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX reviews_by_user ON reviews (user_id, state);
        CREATE TABLE photos (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            review_id TEXT NOT NULL,
            question TEXT NOT NULL,
            file TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, sha256)
        );
"""

# Step 2: a log of sync runs, for the home screen's "last synced" and the sync screen's history,
# and a counter of failed offline sign-ins.
_STEP_2 = """
        CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            finished_at TEXT NOT NULL,
            ok INTEGER NOT NULL,
            sent INTEGER NOT NULL,
            received INTEGER NOT NULL,
            error TEXT
        );
        ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
"""

# Step 3: the data key wrapped under Argon2id (its parameters as JSON; NULL for a row still in
# the scrypt scheme of step 1, moved on at its next unlock) and the Keystore that sealed it again
# (NULL where there is none). See mobile/store/crypto.py.
_STEP_3 = """
        ALTER TABLE users ADD COLUMN key_params TEXT;
        ALTER TABLE users ADD COLUMN keystore TEXT;
"""

# Step 4: the hamlet's boundary (GeoJSON polygon, as pulled) for the offline hamlet map. Places,
# not people: kept in clear.
_STEP_4 = """
        ALTER TABLE hamlets ADD COLUMN boundary TEXT;
"""

# Step 5: one name for the filled form, on the tablet as on the server: the table ``reviews``
# (drafts and finished) becomes ``surveys`` and its ``review_id`` ``survey_id``, in photos too.
# Renamed in place, so every draft stays; the rows stay sealed under their old context
# (``mobile/store/records.py``).
_STEP_5 = """
        ALTER TABLE reviews RENAME TO surveys;
        ALTER TABLE surveys RENAME COLUMN review_id TO survey_id;
        DROP INDEX reviews_by_user;
        CREATE INDEX surveys_by_user ON surveys (user_id, state);
        ALTER TABLE photos RENAME COLUMN review_id TO survey_id;
"""

STEPS: tuple[str, ...] = (_STEP_1, _STEP_2, _STEP_3, _STEP_4, _STEP_5)
LATEST = len(STEPS)


def version(db: sqlite3.Connection) -> int:
    """Return the number of the last step applied to ``db``."""
    found: int = db.execute("PRAGMA user_version").fetchone()[0]
    return found


def upgrade(db: sqlite3.Connection, target: int = LATEST) -> int:
    """Apply the steps after the file's version up to ``target``; return the new version.

    Raises ``StoreTooNew`` when the file is ahead of this app.
    """
    current = version(db)
    if current > LATEST:
        raise StoreTooNew(f"database version {current}, this app knows {LATEST}")
    for number in range(current + 1, target + 1):
        # One transaction per step: a step half applied (the app killed mid-upgrade) rolls back.
        try:
            db.executescript(
                f"BEGIN;\n{STEPS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.Error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    return version(db)
