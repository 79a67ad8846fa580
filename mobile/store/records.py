"""One signed-in user's data on the tablet: hamlets, households, surveys, photos, sync runs.

Everything personal is sealed with the user's data key (AES-GCM, the row's identity as
associated data); only identifiers, states and timestamps are stored in clear, so lists can be
filtered in SQL and the rest decrypted in memory. Every query is restricted to the user.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from mobile.store import crypto
from mobile.store.accounts import Account

SurveyState = Literal["draft", "ready", "sent", "returned"]


@dataclass(frozen=True)
class Hamlet:
    hamlet_id: int
    name: str
    commune: str = ""
    area: str = "rural"
    # GeoJSON Polygon or MultiPolygon (longitude, latitude), None when the server has none.
    boundary: dict[str, Any] | None = None


@dataclass(frozen=True)
class Household:
    """A household assigned to the user, as last received from the server."""

    household_id: int
    hamlet_id: int
    code: str
    head_name: str
    address: str = ""
    household_class: str | None = None
    to_visit: bool = True
    members: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    latest: dict[str, Any] | None = None
    comments: list[str] = field(default_factory=list)
    # A household registered on this tablet carries a temporary code and a negative id until
    # the server answers the ``household.create`` record named here with its own.
    pending_create: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def temporary(self) -> bool:
        """Return whether the server has not given this household its id yet."""
        return self.household_id < 0

    def to_json(self) -> dict[str, Any]:
        """Return the fields sealed in the row."""
        return {
            "pending_create": self.pending_create,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "head_name": self.head_name,
            "address": self.address,
            "household_class": self.household_class,
            "to_visit": self.to_visit,
            "members": self.members,
            "history": self.history,
            "latest": self.latest,
            "comments": self.comments,
        }


@dataclass
class Survey:
    """A filled (or partly filled) form for one household.

    ``envelope`` is the answers as the forms engine takes them; ``position`` is where the
    enumerator was (page, roster row), so a resumed draft opens on the same place;
    ``returned_comment`` is a reviewer's reason for sending it back; ``survey_uuid`` is the
    id it is pushed under (a returned survey, once corrected, goes again under a new one).
    """

    survey_id: str
    household_id: int
    form_id: str
    form_version: int
    state: SurveyState
    envelope: dict[str, Any]
    position: dict[str, Any] = field(default_factory=dict)
    returned_comment: str = ""
    created_at: str = ""
    updated_at: str = ""
    survey_uuid: str = ""


@dataclass(frozen=True)
class SyncRun:
    finished_at: datetime
    ok: bool
    sent: int
    received: int
    error: str | None


def _sealing_context(survey_id: str) -> str:
    """Return the associated data a survey's row is sealed under. It keeps the table's name
    before step 5 (``review``): the rows sealed then open only under it, and the app cannot
    seal them again without the user's key."""
    return f"review:{survey_id}"


def _hamlet_row(hamlet: Hamlet) -> tuple[object, ...]:
    boundary = json.dumps(hamlet.boundary) if hamlet.boundary else None
    return (hamlet.hamlet_id, hamlet.name, hamlet.commune, hamlet.area, boundary)


def _now() -> datetime:
    return datetime.now(UTC)


class UserStore:
    """The signed-in user's rows; ``photo_dir`` holds their sealed photo files."""

    def __init__(
        self,
        db: sqlite3.Connection,
        account: Account,
        photo_dir: Path,
        now: Callable[[], datetime] = _now,
    ) -> None:
        self.db = db
        self.account = account
        self.user_id = account.user_id
        self.photo_dir = photo_dir / str(account.user_id)
        self.now = now

    def _seal(self, value: object, context: str) -> bytes:
        data = json.dumps(value, ensure_ascii=False).encode()
        return crypto.seal(self.account.data_key, data, context.encode())

    def _unseal(self, sealed: bytes, context: str) -> Any:
        return json.loads(crypto.unseal(self.account.data_key, sealed, context.encode()))

    # Hamlets and households, replaced by each sync's "receive" phase.
    def save_hamlets(self, hamlets: Iterable[Hamlet]) -> None:
        """Record the user's assigned hamlets (replacing the previous list)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM hamlets WHERE user_id = ?", (self.user_id,))
            self.db.executemany(
                "INSERT INTO hamlets (user_id, hamlet_id, name, commune, area, boundary)"
                " VALUES (?,?,?,?,?,?)",
                [(self.user_id, *_hamlet_row(h)) for h in hamlets],
            )

    def put_hamlet(self, hamlet: Hamlet) -> None:
        """Record one assigned hamlet, or its new name and area."""
        self.db.execute(
            "INSERT OR REPLACE INTO hamlets (user_id, hamlet_id, name, commune, area, boundary)"
            " VALUES (?,?,?,?,?,?)",
            (self.user_id, *_hamlet_row(hamlet)),
        )

    def remove_hamlet(self, hamlet_id: int) -> None:
        """Forget a hamlet that left the user's assignment, and its households. Surveys stay:
        whatever was typed is never dropped by a sync."""
        with self.db:
            self.db.execute("BEGIN")
            for table in ("households", "hamlets"):
                self.db.execute(
                    f"DELETE FROM {table} WHERE user_id = ? AND hamlet_id = ?",
                    (self.user_id, hamlet_id),
                )

    def move_households(self, from_hamlet_ids: list[int], hamlet_id: int) -> None:
        """Move the households of hamlets merged into ``hamlet_id`` there, those registered on
        this tablet and not yet sent included; their surveys stay with them."""
        marks = ",".join("?" * len(from_hamlet_ids))
        self.db.execute(
            f"UPDATE households SET hamlet_id = ? WHERE user_id = ? AND hamlet_id IN ({marks})",
            (hamlet_id, self.user_id, *from_hamlet_ids),
        )

    def hamlets(self) -> list[Hamlet]:
        """Return the user's hamlets by name."""
        rows = self.db.execute(
            "SELECT * FROM hamlets WHERE user_id = ? ORDER BY name", (self.user_id,)
        )
        return [
            Hamlet(
                r["hamlet_id"],
                r["name"],
                r["commune"],
                r["area"],
                json.loads(r["boundary"]) if r["boundary"] else None,
            )
            for r in rows
        ]

    def save_households(self, households: Iterable[Household]) -> None:
        """Insert or replace households (one transaction)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO households (user_id, household_id, hamlet_id, code,"
                " sealed) VALUES (?,?,?,?,?)",
                [
                    (
                        self.user_id,
                        h.household_id,
                        h.hamlet_id,
                        h.code,
                        self._seal(h.to_json(), f"household:{h.household_id}"),
                    )
                    for h in households
                ],
            )

    def _household(self, row: sqlite3.Row) -> Household:
        data = self._unseal(row["sealed"], f"household:{row['household_id']}")
        return Household(row["household_id"], row["hamlet_id"], row["code"], **data)

    def households(self, hamlet_id: int) -> list[Household]:
        """Return the hamlet's households by code."""
        rows = self.db.execute(
            "SELECT * FROM households WHERE user_id = ? AND hamlet_id = ? ORDER BY code",
            (self.user_id, hamlet_id),
        ).fetchall()
        return [self._household(row) for row in rows]

    def household(self, household_id: int) -> Household | None:
        """Return one household, None if it is not the user's."""
        row = self.db.execute(
            "SELECT * FROM households WHERE user_id = ? AND household_id = ?",
            (self.user_id, household_id),
        ).fetchone()
        return None if row is None else self._household(row)

    def remove_household(self, household_id: int) -> None:
        """Forget a household the server deleted, merged or moved out of the user's hamlets."""
        self.db.execute(
            "DELETE FROM households WHERE user_id = ? AND household_id = ?",
            (self.user_id, household_id),
        )

    def temporary_id(self) -> int:
        """Return an unused negative id for a household registered on this tablet."""
        row = self.db.execute(
            "SELECT min(household_id) AS low FROM households WHERE user_id = ?", (self.user_id,)
        ).fetchone()
        return min(int(row["low"] or 0), 0) - 1

    def temporary_households(self) -> list[Household]:
        """Return the households registered here that wait for the server's id."""
        rows = self.db.execute(
            "SELECT * FROM households WHERE user_id = ? AND household_id < 0", (self.user_id,)
        ).fetchall()
        return [self._household(row) for row in rows]

    def adopt(self, temporary_id: int, household: Household) -> None:
        """Give a household registered here the server's id: its surveys follow it, the
        temporary row goes, and ``household`` stands in for it unless a pull already brought
        the server's own row (one transaction)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "UPDATE surveys SET household_id = ? WHERE user_id = ? AND household_id = ?",
                (household.household_id, self.user_id, temporary_id),
            )
            self.db.execute(
                "DELETE FROM households WHERE user_id = ? AND household_id = ?",
                (self.user_id, temporary_id),
            )
            self.db.execute(
                "INSERT OR IGNORE INTO households (user_id, household_id, hamlet_id, code, sealed)"
                " VALUES (?,?,?,?,?)",
                (
                    self.user_id,
                    household.household_id,
                    household.hamlet_id,
                    household.code,
                    self._seal(household.to_json(), f"household:{household.household_id}"),
                ),
            )

    def household_counts(self) -> dict[int, int]:
        """Return the number of households per hamlet."""
        rows = self.db.execute(
            "SELECT hamlet_id, count(*) AS n FROM households WHERE user_id = ? GROUP BY hamlet_id",
            (self.user_id,),
        )
        return {r["hamlet_id"]: r["n"] for r in rows}

    # Surveys: drafts are written through on every change.
    def new_survey(self, household_id: int, form_id: str, form_version: int) -> Survey:
        """Create and store an empty draft for the household."""
        stamp = self.now().isoformat()
        survey = Survey(
            str(uuid.uuid4()),
            household_id,
            form_id,
            form_version,
            "draft",
            {"form": form_id, "version": form_version, "answers": {}, "meta": {}},
            created_at=stamp,
            updated_at=stamp,
        )
        self.db.execute(
            "INSERT INTO surveys (survey_id, user_id, household_id, form_id, form_version, state,"
            " sealed, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                survey.survey_id,
                self.user_id,
                household_id,
                form_id,
                form_version,
                survey.state,
                self._sealed_survey(survey),
                stamp,
                stamp,
            ),
        )
        return survey

    def _sealed_survey(self, survey: Survey) -> bytes:
        body = {
            "envelope": survey.envelope,
            "position": survey.position,
            "returned_comment": survey.returned_comment,
            "survey_uuid": survey.survey_uuid,
        }
        return self._seal(body, _sealing_context(survey.survey_id))

    def save_survey(self, survey: Survey) -> None:
        """Write the survey through to the database (a single-row transaction)."""
        survey.updated_at = self.now().isoformat()
        self.db.execute(
            "UPDATE surveys SET state = ?, sealed = ?, updated_at = ? "
            "WHERE survey_id = ? AND user_id = ?",
            (
                survey.state,
                self._sealed_survey(survey),
                survey.updated_at,
                survey.survey_id,
                self.user_id,
            ),
        )

    def _survey(self, row: sqlite3.Row) -> Survey:
        body = self._unseal(row["sealed"], _sealing_context(row["survey_id"]))
        return Survey(
            row["survey_id"],
            row["household_id"],
            row["form_id"],
            row["form_version"],
            row["state"],
            body["envelope"],
            body.get("position", {}),
            body.get("returned_comment", ""),
            row["created_at"],
            row["updated_at"],
            # A survey sealed before step 5 keeps its push id under its name of then.
            body.get("survey_uuid", body.get("submission_id", "")),
        )

    def survey(self, survey_id: str) -> Survey | None:
        """Return the survey, None if it is not the user's."""
        row = self.db.execute(
            "SELECT * FROM surveys WHERE survey_id = ? AND user_id = ?", (survey_id, self.user_id)
        ).fetchone()
        return None if row is None else self._survey(row)

    def surveys(
        self, states: Iterable[SurveyState] | None = None, form_id: str | None = None
    ) -> list[Survey]:
        """Return the user's surveys in the given states (of one form when ``form_id`` is
        given), most recently changed first."""
        wanted = tuple(states or ("draft", "ready", "sent", "returned"))
        marks = ",".join("?" * len(wanted))
        rows = self.db.execute(
            f"SELECT * FROM surveys WHERE user_id = ? AND state IN ({marks}) "
            "AND (? IS NULL OR form_id = ?) ORDER BY updated_at DESC",
            (self.user_id, *wanted, form_id, form_id),
        ).fetchall()
        return [self._survey(row) for row in rows]

    def survey_states(self, form_id: str | None = None) -> dict[int, SurveyState]:
        """Return the state of each household's latest survey, of one form when ``form_id`` is
        given (no decryption: fast for lists)."""
        rows = self.db.execute(
            "SELECT household_id, state FROM surveys WHERE user_id = ? "
            "AND (? IS NULL OR form_id = ?) ORDER BY updated_at",
            (self.user_id, form_id, form_id),
        )
        return {r["household_id"]: r["state"] for r in rows}

    def household_surveys(self, household_id: int, form_id: str) -> list[Survey]:
        """Return the household's surveys of one form, most recently changed first."""
        rows = self.db.execute(
            "SELECT * FROM surveys WHERE user_id = ? AND household_id = ? AND form_id = ? "
            "ORDER BY updated_at DESC",
            (self.user_id, household_id, form_id),
        ).fetchall()
        return [self._survey(row) for row in rows]

    def done_counts(self, form_id: str) -> dict[int, int]:
        """Return, per hamlet, how many households have a finished survey of the form (waiting
        to sync or sent)."""
        rows = self.db.execute(
            "SELECT h.hamlet_id, count(DISTINCT h.household_id) AS n FROM households h "
            "JOIN surveys r ON r.user_id = h.user_id AND r.household_id = h.household_id "
            "WHERE h.user_id = ? AND r.form_id = ? AND r.state IN ('ready', 'sent') "
            "GROUP BY h.hamlet_id",
            (self.user_id, form_id),
        )
        return {r["hamlet_id"]: r["n"] for r in rows}

    def state_counts(self) -> dict[str, int]:
        """Return the number of surveys in each state."""
        rows = self.db.execute(
            "SELECT state, count(*) AS n FROM surveys WHERE user_id = ? GROUP BY state",
            (self.user_id,),
        )
        return {r["state"]: r["n"] for r in rows}

    def delete_survey(self, survey_id: str) -> None:
        """Discard a survey and its photos."""
        for photo in self.db.execute(
            "SELECT sha256 FROM photos WHERE user_id = ? AND survey_id = ?",
            (self.user_id, survey_id),
        ).fetchall():
            (self.photo_dir / f"{photo['sha256']}.sealed").unlink(missing_ok=True)
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "DELETE FROM photos WHERE user_id = ? AND survey_id = ?", (self.user_id, survey_id)
            )
            self.db.execute(
                "DELETE FROM surveys WHERE user_id = ? AND survey_id = ?", (self.user_id, survey_id)
            )

    # Photos: the reduced JPEG sealed on disk, named by the SHA-256 of its clear bytes.
    def save_photo(self, survey_id: str, question: str, jpeg: bytes, sha256: str) -> str:
        """Seal and store a photo; return the file name recorded in the answer."""
        self.photo_dir.mkdir(parents=True, exist_ok=True)
        path = self.photo_dir / f"{sha256}.sealed"
        temporary = path.with_suffix(".partial")
        temporary.write_bytes(crypto.seal(self.account.data_key, jpeg, sha256.encode()))
        temporary.replace(path)
        name = f"{sha256[:16]}.jpg"
        self.db.execute(
            "INSERT OR REPLACE INTO photos (user_id, sha256, survey_id, question, file, bytes,"
            " created_at) VALUES (?,?,?,?,?,?,?)",
            (self.user_id, sha256, survey_id, question, name, len(jpeg), self.now().isoformat()),
        )
        return name

    def photo(self, sha256: str) -> bytes | None:
        """Return a photo's JPEG bytes, None if it is not the user's."""
        row = self.db.execute(
            "SELECT 1 FROM photos WHERE user_id = ? AND sha256 = ?", (self.user_id, sha256)
        ).fetchone()
        path = self.photo_dir / f"{sha256}.sealed"
        if row is None or not path.exists():
            return None
        return crypto.unseal(self.account.data_key, path.read_bytes(), sha256.encode())

    def photos(self, survey_id: str) -> list[dict[str, Any]]:
        """Return the survey's photos: sha256, question, file, bytes."""
        rows = self.db.execute(
            "SELECT sha256, question, file, bytes FROM photos WHERE user_id = ? AND survey_id = ?"
            " ORDER BY created_at",
            (self.user_id, survey_id),
        )
        return [dict(row) for row in rows]

    # The hamlet meeting's entries, written through on every change until the meeting is recorded
    # online. Sealed like a survey, in the key-value table: step 1's schema has no other row for
    # them, and the key names the user, so another user's draft neither lists nor opens.
    def _meeting_key(self, round_id: int, hamlet_id: int) -> str:
        return f"meeting_draft:{self.user_id}:{round_id}:{hamlet_id}"

    def save_meeting_draft(self, round_id: int, hamlet_id: int, entries: dict[str, Any]) -> None:
        """Write the meeting's typed entries of the round and hamlet (one-row transaction)."""
        key = self._meeting_key(round_id, hamlet_id)
        sealed = base64.b64encode(self._seal(entries, key)).decode()
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, sealed),
        )

    def meeting_draft(self, round_id: int, hamlet_id: int) -> dict[str, Any] | None:
        """Return the meeting's entries kept for the round and hamlet, None if there are none."""
        key = self._meeting_key(round_id, hamlet_id)
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        found: dict[str, Any] = self._unseal(base64.b64decode(row["value"]), key)
        return found

    def drop_meeting_draft(self, round_id: int, hamlet_id: int) -> None:
        """Forget the meeting's entries of the round and hamlet (it is recorded)."""
        self.db.execute(
            "DELETE FROM settings WHERE key = ?", (self._meeting_key(round_id, hamlet_id),)
        )

    # Sync runs.
    def record_sync(self, ok: bool, sent: int, received: int, error: str | None = None) -> None:
        """Log a finished sync run."""
        self.db.execute(
            "INSERT INTO sync_runs (user_id, finished_at, ok, sent, received, error)"
            " VALUES (?,?,?,?,?,?)",
            (self.user_id, self.now().isoformat(), int(ok), sent, received, error),
        )

    def last_successful_sync(self) -> datetime | None:
        """Return when the user's last successful sync finished, None if never."""
        row = self.db.execute(
            "SELECT max(finished_at) AS at FROM sync_runs WHERE user_id = ? AND ok = 1",
            (self.user_id,),
        ).fetchone()
        return None if row["at"] is None else datetime.fromisoformat(row["at"])


class Settings:
    """Device-wide settings (not per user): server address, language, large text, device id."""

    DEFAULTS: ClassVar[dict[str, str]] = {
        "server_url": "http://127.0.0.1:8000",
        "language": "vi",
        "large_text": "0",
        "timezone": "Asia/Ho_Chi_Minh",
    }

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def get(self, key: str) -> str:
        """Return the setting, its default if unset."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row is not None else self.DEFAULTS.get(key, "")

    def set(self, key: str, value: str) -> None:
        """Store a setting."""
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def device_id(self) -> str:
        """Return this installation's stable id, created on first use."""
        found = self.get("device_id")
        if not found:
            found = uuid.uuid4().hex
            self.set("device_id", found)
        return found
