"""The sync screen's port over the real engine: finished surveys go out as push records, their
photos are read from the sealed store in memory, pulled hamlets, households and reviewers' notes
come into the user's store, and the engine's progress, report and errors become the screen's
``Progress`` and ``Outcome``.

Files: the app's ``rasoat.sqlite3`` and, per user, ``sync-<user>.sqlite3`` (the outbox, the
engine's working set and the cursor). Both count their schema steps in ``PRAGMA user_version``,
hence two files. The sync file's record bodies and entities are sealed with the user's data
key, like everything personal in the app's file.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from mobile.i18n import Lang, tr
from mobile.new_households import adopt_created
from mobile.online import ServerRefusedError, ServerSession
from mobile.store import crypto
from mobile.store.accounts import Account, Accounts
from mobile.store.database import open_database
from mobile.store.records import Hamlet, Household, Survey, UserStore
from mobile.sync.engine import (
    Progress as EngineProgress,
)
from mobile.sync.engine import (
    Retry,
    SyncEngine,
    SyncInterruptedError,
)
from mobile.sync.store import DONE, REFUSED, OutboxRecord, Store
from mobile.sync_port import PHASES, Conflict, Failure, Outcome, Phase, Progress, ProgressCallback
from shared.errors import ErrorCode, RasoatError

_PHASE = {"push": Phase.SEND_RECORDS, "photos": Phase.SEND_PHOTOS, "pull": Phase.RECEIVE_UPDATES}


class SealedJson:
    """The sync file's codec: JSON sealed with the user's data key, bound to its row."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def dump(self, value: Any, context: str) -> bytes:
        data = json.dumps(value, ensure_ascii=False).encode()
        return crypto.seal(self.key, data, context.encode())

    def load(self, stored: str | bytes, context: str) -> Any:
        sealed = stored.encode() if isinstance(stored, str) else stored
        return json.loads(crypto.unseal(self.key, sealed, context.encode()))


def sync_store(data_dir: Path, account: Account) -> Store:
    """Open the user's sync file in ``data_dir``."""
    return Store(data_dir / f"sync-{account.user_id}.sqlite3", SealedJson(account.data_key))


def push_body(survey: Survey, photos: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a finished survey as the push protocol's record (without kind and id)."""
    envelope = survey.envelope
    answers: dict[str, Any] = envelope["answers"]
    meta: dict[str, Any] = envelope.get("meta", {})
    body: dict[str, Any] = {
        "household_id": survey.household_id,
        "form_id": survey.form_id,
        "form_version": survey.form_version,
        "answers": answers,
        "meta": meta,
        "started_at": survey.created_at or None,
        "completed_at": meta.get("completed_at"),
        "photos": [{"sha256": p["sha256"], "question": p["question"]} for p in photos],
    }
    # The survey's own position: the first GPS answer at the top of the form.
    fix = next(
        (
            v
            for v in answers.values()
            if isinstance(v, dict) and {"latitude", "longitude"} <= v.keys()
        ),
        None,
    )
    if fix is not None:
        body["location"] = {k: fix.get(k) for k in ("latitude", "longitude", "accuracy_m")}
    return body


def queue_ready(users: UserStore, outbox: Store) -> int:
    """Queue every finished survey and its photos (again harmlessly); return how many."""
    # A household registered on the tablet goes first; its survey waits for the server's id.
    ready = [r for r in users.surveys(["ready"]) if r.household_id > 0]
    for survey in ready:
        if not survey.survey_uuid:
            survey.survey_uuid = str(uuid.uuid4())
            users.save_survey(survey)
        photos = users.photos(survey.survey_id)
        outbox.queue_survey(push_body(survey, photos), survey.survey_uuid)
        for photo in photos:
            outbox.queue_photo(
                photo["sha256"],
                users.photo_dir / f"{photo['sha256']}.sealed",
                photo["bytes"],
                survey.household_id,
            )
    return len(ready)


def refusal_text(outcome: dict[str, Any], lang: Lang) -> str:
    """Return why the server refused a record, in the app's language when the code is known."""
    try:
        return RasoatError(
            ErrorCode(str(outcome.get("error"))), **(outcome.get("detail") or {})
        ).message(lang)
    except (ValueError, KeyError, TypeError):
        return str(outcome.get("message") or outcome.get("error") or "")


def settle_surveys(users: UserStore, outbox: Store, lang: Lang) -> None:
    """Move each pushed survey on: accepted → sent; refused → returned with the reason (it is
    corrected and finished again, then pushed under a new id)."""
    records: dict[str, OutboxRecord] = {r.id: r for r in outbox.outbox()}
    for survey in users.surveys(["ready"]):
        record = records.get(survey.survey_uuid)
        if record is None or record.state not in (DONE, REFUSED):
            continue
        if record.state == DONE:
            survey.state = "sent"
        else:
            survey.state = "returned"
            survey.returned_comment = refusal_text(record.outcome or {}, lang)
            survey.survey_uuid = ""
        users.save_survey(survey)


class Receiver:
    """Applies pulled pages to the user's store. Known entities (hamlet, household) have their
    place; a reviewer's notes are recognised by their fields, whatever the entity (the review
    round's ``review_case`` today); anything else stays in the sync file only, so a new kind of
    item never breaks the app."""

    def __init__(self, users: UserStore, outbox: Store) -> None:
        self.users = users
        self.outbox = outbox
        self.communes = {h.hamlet_id: h.commune for h in users.hamlets()}
        self.households: dict[int, Household] = {}

    def apply(self, items: list[dict[str, Any]]) -> None:
        """Keep one pulled page (households of the page in one transaction)."""
        self.households = {}
        for item in items:
            entity, key, data = item["e"], str(item["k"]), item["d"]
            if entity == "hamlet":
                self._hamlet(int(key), data)
            elif entity == "household":
                if data is None:
                    self.households.pop(int(key), None)
                    self.users.remove_household(int(key))
                else:
                    self.households[int(key)] = self._household(int(key), data)
            elif isinstance(data, dict):
                self._note(data)
        self.users.save_households(self.households.values())

    def _hamlet(self, hamlet_id: int, data: dict[str, Any] | None) -> None:
        if data is None:
            self.users.remove_hamlet(hamlet_id)
            return
        merged_from = [int(h) for h in data.get("merged_from") or ()]
        if merged_from:
            # Hamlets merged into this one (issue 20): what the tablet holds of them moves here
            # before their tombstones would drop it, households registered here included.
            self.users.move_households(merged_from, hamlet_id)
        name = str(data.get("name") or data.get("code") or hamlet_id)
        commune = str(data.get("commune_name") or self.communes.get(hamlet_id, ""))
        boundary = data.get("boundary") if isinstance(data.get("boundary"), dict) else None
        self.users.put_hamlet(
            Hamlet(hamlet_id, name, commune, str(data.get("area", "rural")), boundary)
        )

    def _held(self, household_id: int) -> Household | None:
        return self.households.get(household_id) or self.users.household(household_id)

    def _household(self, household_id: int, data: dict[str, Any]) -> Household:
        held = self._held(household_id)
        history = list(held.history) if held else []
        found = data.get("class") or {}
        if found:
            history = [h for h in history if h.get("year") != found.get("year")]
            history.append({"year": found.get("year"), "household_class": found.get("class")})
            history.sort(key=lambda h: h.get("year") or 0)
        return Household(
            household_id=household_id,
            hamlet_id=int(data["hamlet_id"]),
            code=str(data["code"]),
            head_name=str(data.get("head_name", "")),
            address=str(data.get("address", "")),
            household_class=found.get("class") if found else getattr(held, "household_class", None),
            to_visit=held.to_visit if held else True,
            members=list(data.get("members", [])),
            history=history,
            latest=held.latest if held else None,
            comments=list(held.comments) if held else [],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )

    def _note(self, data: dict[str, Any]) -> None:
        """A survey this tablet sent, returned for correction with the reviewer's comments; or
        open comments on a household (the latest note about it stands: addressed comments
        leave it)."""
        texts = _texts(data)
        if "returned" in (data.get("status"), data.get("state")):
            survey = self._sent_survey(data)
            if survey is not None:
                survey.state = "returned"
                survey.returned_comment = "; ".join(texts)
                survey.survey_uuid = ""
                self.users.save_survey(survey)
                return
        household_id = data.get("household_id")
        held = self._held(household_id) if isinstance(household_id, int) else None
        if held is not None and "comments" in data:
            self.households[held.household_id] = replace(held, comments=texts)

    def _sent_survey(self, data: dict[str, Any]) -> Survey | None:
        """Return the survey a note points at: by the id the tablet pushed it under, or by the
        server's number for it (from the push outcome)."""
        pushed = str(data.get("survey_uuid") or "")
        number = data.get("survey_id")
        if not pushed and number is not None:
            pushed = next(
                (
                    r.id
                    for r in self.outbox.outbox()
                    if r.outcome and _survey_number(r.outcome) == number
                ),
                "",
            )
        if not pushed:
            return None
        for survey in self.users.surveys(["sent", "ready"]):
            if survey.survey_uuid == pushed:
                return survey
        return None


def _survey_number(outcome: dict[str, Any]) -> Any:
    """Return the server's number of a pushed survey from its outcome; an outcome kept from
    before the rename names it ``submission_id`` only."""
    return outcome.get("survey_id", outcome.get("submission_id"))


def _texts(data: dict[str, Any]) -> list[str]:
    """Return the comments an item carries, each prefixed with its question when it has one."""
    found = data.get("comments", data.get("comment", data.get("text")))
    texts = []
    for comment in found if isinstance(found, list) else [found] if found else []:
        if isinstance(comment, dict):
            text = str(comment.get("text") or comment.get("comment") or "")
            question = comment.get("question")
            texts.append(f"{question}: {text}" if question else text)
        elif comment:
            texts.append(str(comment))
    return [t for t in texts if t]


def open_conflicts(users: UserStore, outbox: Store, lang: Lang) -> tuple[Conflict, ...]:
    """Return the open conflicts of records this tablet pushed: the server's values stand
    until a commune officer settles them, the tablet's are kept on the server meanwhile."""
    mine = {r.id for r in outbox.outbox()}
    found = []
    for data in outbox.entities("conflict").values():
        if data.get("status") != "open" or data.get("record") not in mine:
            continue
        household = users.household(int(data["household_id"]))
        fields: dict[str, Any] = data.get("fields") or {}
        found.append(
            Conflict(
                household.code if household else str(data["household_id"]),
                tr("conflict_household", lang),
                {path: f.get("device") for path, f in fields.items()},
                {path: f.get("server") for path, f in fields.items()},
            )
        )
    return tuple(found)


def _failure(error: ServerRefusedError) -> Failure:
    if error.error == "device_revoked":
        return Failure.DEVICE_REVOKED
    if error.status == 401:
        return Failure.AUTH
    return Failure.SERVER


@dataclass
class EngineSync:
    """A ``SyncPort`` over ``SyncEngine`` for the signed-in ``account``. Each run opens its own
    connection to the app's database: it runs on a worker thread while the UI keeps its own."""

    data_dir: Path
    account: Account
    http: httpx.Client
    lang: Lang = "vi"
    retry: Retry | None = None
    chunk_size: int = 256 * 1024

    def start(self, progress: ProgressCallback) -> Outcome:
        db = open_database(self.data_dir / "rasoat.sqlite3")
        outbox = sync_store(self.data_dir, self.account)
        try:
            return self._run(
                UserStore(db, self.account, self.data_dir / "photos"), outbox, progress
            )
        finally:
            outbox.close()
            db.close()

    def _run(self, users: UserStore, outbox: Store, progress: ProgressCallback) -> Outcome:
        accounts = Accounts(users.db)
        tokens = accounts.tokens(self.account)
        if not tokens.get("refresh_token"):
            return Outcome(ok=False, failure=Failure.AUTH, detail="no server session")
        queue_ready(users, outbox)
        seen: set[Phase] = set()

        def report(step: EngineProgress) -> None:
            phase = _PHASE.get(step.phase)
            if phase is None:
                return
            seen.add(phase)
            total = step.items_done if step.items_total is None else step.items_total
            progress(
                Progress(phase, step.items_done, total, step.bytes_done, step.bytes_total or 0)
            )

        engine = SyncEngine(
            self.http,
            outbox,
            progress=report,
            retry=self.retry,
            chunk_size=self.chunk_size,
            session=ServerSession(
                self.http,
                lambda: accounts.tokens(self.account),
                lambda fresh: accounts.save_tokens(self.account, fresh),
            ),
            read_photo=lambda photo: users.photo(photo.sha256),
            receive=Receiver(users, outbox).apply,
        )
        try:
            done = engine.sync()
        except SyncInterruptedError as error:
            return Outcome(ok=False, failure=Failure.OFFLINE, detail=str(error))
        except ServerRefusedError as error:
            failure = _failure(error)
            if failure == Failure.AUTH:
                # The session is over: the next sign-in with signal renews it.
                accounts.save_tokens(self.account, {})
            return Outcome(ok=False, failure=failure, detail=str(error))
        finally:
            settle_surveys(users, outbox, self.lang)
            adopt_created(users, outbox)
        for phase in PHASES:
            if phase not in seen:
                progress(Progress(phase, 0, 0))
        return Outcome(
            ok=True,
            # Records and photos: after a resumed run, the photos may be all that went.
            sent=done.pushed + done.photos,
            received=done.pulled,
            rejected=done.refused + done.photos_rejected,
            conflicts=open_conflicts(users, outbox, self.lang),
            photos_refused=done.photos_refused,
            photos=done.photos,
        )


def pulled(data_dir: Path, account: Account, entity: str) -> dict[str, dict[str, Any]]:
    """Return the items of ``entity`` the user's last syncs kept in the sync file (by key):
    kinds the app has no table for, such as the support domain's registrations."""
    outbox = sync_store(data_dir, account)
    try:
        return outbox.entities(entity)
    finally:
        outbox.close()
