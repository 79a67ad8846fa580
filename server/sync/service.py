"""Rules of sync: what a device's working set is, how pushed records are applied exactly once,
how stale edits merge field by field or queue a conflict, and how photos arrive.

Never commits: the request's session does. Writes of households enter the change sequence
through ``server.households.tracking`` or, for bulk creation, directly here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import orjson
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require, require_place
from server.changes import repository as changes
from server.db import utcnow
from server.errors import STATUS
from server.geography import repository as geography
from server.geography.models import Hamlet
from server.geography.repository import place_of
from server.households import repository as households
from server.households.models import Household
from server.households.schemas import MemberIn
from server.households.service import mask_national_id
from server.photos.storage import PhotoStore, Stored
from server.storable import unstorable
from server.sync import repository
from server.sync.models import Conflict, Photo
from server.sync.ports import Domains
from server.sync.schemas import (
    PROTOCOL,
    HouseholdCreate,
    HouseholdEdit,
    Outcome,
    PullItem,
    PushRecord,
    SurveyPush,
)
from server.text import fold
from shared.errors import ErrorCode, RasoatError
from shared.household_paths import (
    HOUSEHOLD_FIELDS,
    MEMBER_FACTS,
    MEMBER_FIELDS,
    set_at,
    split,
    value_at,
)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_GLOBS = ("forms/*/v*.yaml", "forms/choices/*.yaml", "shared/standards/*.yaml")


# ----------------------------------------------------------------------------- cursor


@dataclass
class Cursor:
    """Where a device stands: a position per hamlet of its working set, one for its own
    stream (outcomes), and digests of the hamlets and reference data it holds."""

    device_id: int
    hamlets: dict[int, int] = field(default_factory=dict)
    device_seq: int = 0
    hamlet_digest: str = ""
    reference_digest: str = ""

    def encode(self) -> str:
        groups: dict[int, list[int]] = defaultdict(list)
        for hamlet_id, seq in sorted(self.hamlets.items()):
            groups[seq].append(hamlet_id)
        body = {
            "v": PROTOCOL,
            "u": self.device_id,
            "h": [[seq, ids] for seq, ids in sorted(groups.items())],
            "d": self.device_seq,
            "m": self.hamlet_digest,
            "r": self.reference_digest,
        }
        return base64.urlsafe_b64encode(orjson.dumps(body)).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None, device_id: int) -> Cursor:
        """Return the cursor ``text`` stands for (a fresh one when empty); raise
        INVALID_CURSOR for anything else, or for a cursor issued to another device."""
        if not text:
            return cls(device_id)
        try:
            body = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            hamlets = {int(h): int(seq) for seq, ids in body["h"] for h in ids}
            cursor = cls(int(body["u"]), hamlets, int(body["d"]), str(body["m"]), str(body["r"]))
            valid = body["v"] == PROTOCOL and cursor.device_id == device_id
        except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError):
            valid = False
        if not valid:
            raise RasoatError(ErrorCode.INVALID_CURSOR)
        return cursor


def _digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


@lru_cache(maxsize=1)
def reference_files() -> tuple[tuple[str, str, str], ...]:
    """Return the forms, choice lists and standards a device holds: (path, sha256, text)."""
    files = []
    for pattern in REFERENCE_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            relative = path.relative_to(ROOT).as_posix()
            files.append((relative, hashlib.sha256(text.encode()).hexdigest(), text))
    return tuple(files)


@lru_cache(maxsize=1)
def reference_digest() -> str:
    return _digest([[path, sha] for path, sha, _ in reference_files()])


# ----------------------------------------------------------------------------- documents


def member_document(member: households.PulledRow) -> dict[str, Any]:
    """Return a member as the paths of an edit address it (shared.household_paths)."""
    return {name: _json(getattr(member, name)) for name in MEMBER_FIELDS}


class _Checked(BaseModel):
    # The columns' lengths: a longer value would fail the UPDATE instead of being refused.
    head_name: Annotated[str, Field(max_length=120)]
    address: Annotated[str, Field(max_length=255)]
    latitude: float | None
    longitude: float | None
    members: list[MemberIn]


def _validated(document: dict[str, Any]) -> _Checked:
    try:
        return _Checked.model_validate(
            {
                **{k: document[k] for k in HOUSEHOLD_FIELDS},
                "members": [{"member_no": no, **m} for no, m in document["members"].items()],
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"{where}: {first['msg']}") from None


@dataclass
class _Held:
    """A household as the edits of a request see it, held in memory: its fields
    (``EDITED_FIELDS``) and its members in order (``EDITED_MEMBER_FIELDS`` and ``position``),
    as stored or as earlier records of the request left them. ``stored`` is what the database
    holds, so the difference is written once whatever the number of edits."""

    id: int
    hamlet_id: int
    fields: dict[str, Any]
    members: dict[str, dict[str, Any]]
    member_ids: dict[str, int]
    stored: tuple[dict[str, Any], dict[str, dict[str, Any]]]
    # Index of this household's latest change among the push's own change rows.
    changed_at: int | None = None

    def document(self) -> dict[str, Any]:
        """Return the household as the paths of an edit address it."""
        return {
            **{k: self.fields[k] for k in HOUSEHOLD_FIELDS},
            "members": {
                no: {k: _json(m[k]) for k in MEMBER_FIELDS} for no, m in self.members.items()
            },
        }


def _held(session: Session, household_ids: Iterable[int]) -> dict[int, _Held]:
    """Return the households that exist among ``household_ids``, held for editing."""
    held = {}
    for household_id, (row, rows) in households.edited_households(session, household_ids).items():
        fields = {k: getattr(row, k) for k in households.EDITED_FIELDS}
        members = {
            m.member_no: {
                "position": m.position,
                **{k: getattr(m, k) for k in households.EDITED_MEMBER_FIELDS},
            }
            for m in rows
        }
        held[household_id] = _Held(
            household_id,
            row.hamlet_id,
            fields,
            members,
            {m.member_no: m.id for m in rows},
            (dict(fields), {no: dict(m) for no, m in members.items()}),
        )
    return held


def _member_values(given: MemberIn) -> dict[str, Any]:
    return {k: getattr(given, k) for k in MEMBER_FIELDS} | {
        "name_folded": fold(given.full_name)[:120]
    }


def _apply(held: _Held, checked: _Checked) -> bool:
    """Make ``held`` the validated document and return whether a stored value changes.
    Members keep their position; new ones follow the last, in the document's order. Only
    the fields an edit addresses are set: a member's other facts (a survey's) stay."""
    wanted = {m.member_no: m for m in checked.members}
    members = {
        no: {**member, **_member_values(wanted[no])}
        for no, member in held.members.items()
        if no in wanted
    }
    position = max((m["position"] for m in members.values()), default=-1)
    for no, given in wanted.items():
        if no not in members:
            position += 1
            members[no] = {"position": position, **_member_values(given)}
    fields: dict[str, Any] = {k: getattr(checked, k) for k in HOUSEHOLD_FIELDS}
    names = [fold(checked.head_name)] + [m["name_folded"] for m in members.values()]
    fields["names_folded"] = " | ".join(dict.fromkeys(names))[:4000]
    changed = fields != held.fields or members != held.members
    held.fields, held.members = fields, members
    return changed


def _write(session: Session, held: Iterable[_Held]) -> None:
    """Write what edits changed in ``held`` (once each) in a few statements for all."""
    fields_written: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    removed: list[int] = []
    for household in held:
        fields, members = household.stored
        if household.fields != fields:
            fields_written.append({"row_id": household.id, **household.fields})
        removed += [household.member_ids[no] for no in members if no not in household.members]
        for no, member in household.members.items():
            if no not in members:
                added.append({"household_id": household.id, "member_no": no, **member})
            elif member != members[no]:
                updated.append({"row_id": household.member_ids[no], **member})
    households.delete_members(session, removed)
    households.update_households(session, fields_written)
    households.update_members(session, updated)
    households.add_members(session, added)


# ----------------------------------------------------------------------------- pull


def pull(
    session: Session,
    principal: Principal,
    domains: Domains,
    cursor_text: str | None,
    limit: int,
) -> tuple[list[PullItem], str, bool]:
    """Return the next page of the device's working set after ``cursor_text``, the cursor to
    continue from, and whether more is waiting."""
    require(principal, Permission.READ_REGISTRY)
    cursor = Cursor.decode(cursor_text, principal.device_id)
    hamlets = repository.working_set_hamlets(session, principal.scope)
    items: list[PullItem] = []
    hamlet_digest = _digest([[h.id, h.code, h.name, h.area, h.boundary] for h in hamlets])
    current = {h.id for h in hamlets}
    if hamlet_digest != cursor.hamlet_digest:
        merged = geography.merged_away(session, current)
        items += [
            PullItem(e="hamlet", k=str(h.id), v=0, d=_hamlet(h, merged.get(h.id, [])))
            for h in hamlets
        ]
        items += [
            PullItem(e="hamlet", k=str(gone), v=0, d=None)
            for gone in sorted(set(cursor.hamlets) - current)
        ]
    if reference_digest() != cursor.reference_digest:
        items += [
            PullItem(e="reference", k=path, v=0, d={"sha256": sha, "text": text})
            for path, sha, text in reference_files()
        ]
    positions = {h: cursor.hamlets.get(h, 0) for h in sorted(current)}
    groups: dict[int, list[int]] = defaultdict(list)
    for hamlet_id, seq in positions.items():
        groups[seq].append(hamlet_id)
    rows = changes.changed_entities(
        session,
        sorted(groups.items()),
        (principal.device_id, cursor.device_seq),
        limit,
    )
    items += _items(session, principal, domains, rows, current)
    top = rows[-1][2] if rows else 0
    next_cursor = Cursor(
        principal.device_id,
        {h: max(seq, top) for h, seq in positions.items()},
        max(cursor.device_seq, top),
        hamlet_digest,
        reference_digest(),
    )
    return items, next_cursor.encode(), len(rows) == limit


def _hamlet(hamlet: Hamlet, merged_from: list[int]) -> dict[str, Any]:
    item = {
        "code": hamlet.code,
        "name": hamlet.name,
        "area": hamlet.area,
        "commune_id": hamlet.commune_id,
        "commune_name": hamlet.commune.name,
        "boundary": hamlet.boundary,
    }
    if merged_from:
        # The hamlets merged into this one: a tablet moves what it holds of them here before
        # their tombstones come, so households registered on it and not yet sent stay.
        item["merged_from"] = merged_from
    return item


def _items(
    session: Session,
    principal: Principal,
    domains: Domains,
    rows: list[tuple[str, str, int]],
    hamlets: set[int],
) -> list[PullItem]:
    keys: dict[str, list[str]] = defaultdict(list)
    for entity, key, _ in rows:
        keys[entity].append(key)
    # Each lookup only when the page holds its entity: most pages hold a few of them.
    found: dict[int, tuple[households.PulledRow, list[households.PulledRow]]] = {}
    classes: dict[int, tuple[int, str]] = {}
    versions: dict[int, int] = {}
    if keys["household"]:
        found = households.pulled_households(session, [int(k) for k in keys["household"]])
        classes = households.standing_classes(session, list(found))
        versions = repository.household_versions(session, list(found))
    show_ids = principal.can(Permission.SEE_NATIONAL_IDS)
    conflicts = {}
    if keys["conflict"]:
        conflicts = {c.id: c for c in repository.conflicts(session, map(int, keys["conflict"]))}
    outcomes = repository.outcomes(session, keys["outcome"]) if keys["outcome"] else {}
    # Entities no reader knows are tombstones: a device drops what the server no longer sends.
    read = {
        entity: reader(session, keys[entity], hamlets)
        for entity, reader in domains.readers.items()
        if keys.get(entity)
    }
    items = []
    for entity, key, seq in rows:
        data: dict[str, Any] | None = None
        version = seq
        if entity == "household":
            household, members = found.get(int(key), (None, []))
            if household is not None and household.hamlet_id in hamlets:
                data = _household_item(household, members, classes.get(household.id), show_ids)
                version = versions.get(household.id, seq)
        elif entity == "conflict":
            conflict = conflicts.get(int(key))
            if conflict is not None and conflict.hamlet_id in hamlets:
                data = conflict_data(conflict)
        elif entity == "outcome":
            data = outcomes.get(key)
        else:
            data = read.get(entity, {}).get(key)
        items.append(PullItem(e=entity, k=key, v=version, d=data))
    return items


def _household_item(
    household: households.PulledRow,
    pulled_members: list[households.PulledRow],
    year_class: tuple[int, str] | None,
    show_ids: bool,
) -> dict[str, Any]:
    members = []
    for m in pulled_members:
        member = {"member_no": m.member_no, **member_document(m)}
        if not show_ids:
            # The issue date and place go with the number (server.households.router).
            member["national_id"] = mask_national_id(m.national_id)
            member["national_id_issued_on"] = member["national_id_issued_by"] = None
        members.append({k: v for k, v in member.items() if v is not None})
    item: dict[str, Any] = {
        "code": household.code,
        "hamlet_id": household.hamlet_id,
        "head_name": household.head_name,
        "members": members,
    }
    if household.address:
        item["address"] = household.address
    if household.latitude is not None:
        item["latitude"] = household.latitude
        item["longitude"] = household.longitude
    if year_class is not None:
        item["class"] = {"year": year_class[0], "class": year_class[1]}
    return item


def conflict_data(conflict: Conflict) -> dict[str, Any]:
    return {
        "household_id": conflict.household_id,
        "hamlet_id": conflict.hamlet_id,
        "record": conflict.record_uuid,
        "device_id": conflict.device_id,
        "status": conflict.status,
        "fields": conflict.fields,
        "resolution": conflict.resolution,
    }


# ----------------------------------------------------------------------------- push

Record = HouseholdCreate | HouseholdEdit | SurveyPush
_RECORD: TypeAdapter[Record] = TypeAdapter(PushRecord)


@dataclass(frozen=True)
class Unreadable:
    """A pushed record the server cannot take as it is: refused alone, never stored."""

    id: str
    error: RasoatError


def read_record(raw: dict[str, Any]) -> Record | Unreadable:
    """Return a pushed record as the protocol defines it, or why it cannot be taken."""
    record_id = str(raw.get("id", ""))
    problem = unstorable(raw)
    if problem is not None:
        return Unreadable(record_id, problem)
    try:
        return _RECORD.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return Unreadable(
            record_id,
            RasoatError(ErrorCode.INVALID_REQUEST, problem=f"{where}: {first['msg']}", field=where),
        )


def content_hash(pushed: Record) -> str:
    """Return the hash that tells a replay (same content) from a reuse of the id."""
    content = pushed.model_dump(mode="json")
    if isinstance(pushed, SurveyPush):
        # Hashed under the kind's spelling before the rename, so a survey pushed then and
        # retried now is still a replay, not an id reused for other content.
        content["kind"] = "submission"
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass
class _Pending:
    """An outcome whose version is a seq of the push's own change rows, known once they are
    appended: ``row`` is the household's change by this record (None: it changed nothing),
    ``since`` the change an earlier record of the push made to it (None: the household's
    version before the push). An edit's ``base_version`` older than the version it met
    makes it merged."""

    outcome: Outcome
    household_id: int
    row: int | None
    since: int | None = None
    base_version: int | None = None


@dataclass
class _Batch:
    """What one push wrote, for the change sequence, the idempotency table and the audit."""

    principal: Principal
    actor: Actor
    domains: Domains
    # Content hash of each record id of the push, computed once.
    hashes: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    # (kind, outcome, household id) of each record applied, in order.
    kept: list[tuple[str, Outcome, int | None]] = field(default_factory=list)
    # Households' change rows (new ones, edited ones), appended under the writers' lock at
    # the end of the push, before ``changes`` (conflicts, outcomes).
    rows: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)

    def done(self, pushed: Record, outcome: Outcome, household_id: int | None) -> None:
        self.outcomes[outcome.id] = outcome
        self.kept.append((pushed.kind, outcome, household_id))
        self.changes.append(
            {"entity": "outcome", "entity_key": outcome.id, "device_id": self.principal.device_id}
        )

    def refuse(self, record_id: str, error: RasoatError) -> None:
        self.outcomes[record_id] = _refusal(record_id, error)

    def change(self, household_id: int, hamlet_id: int) -> int:
        """Add a change row of a household and return its index among ``rows``."""
        self.rows.append(_household_change(household_id, hamlet_id))
        return len(self.rows) - 1

    def settle(self, seqs: list[int], versions: dict[int, int]) -> None:
        """Give the pending outcomes their versions, from the seqs of ``rows`` and the
        households' ``versions`` before the push."""
        for pending in self.pending:
            met = versions.get(pending.household_id, 0)
            if pending.since is not None:
                met = seqs[pending.since]
            outcome = pending.outcome
            outcome.version = met if pending.row is None else seqs[pending.row]
            stale = pending.base_version is not None and pending.base_version < met
            if stale and outcome.result == "applied":
                outcome.result = "merged"

    def records(self) -> list[dict[str, Any]]:
        """Return the rows of the idempotency table for the records applied."""
        return [
            {
                "uuid": outcome.id,
                "kind": kind,
                "content_hash": self.hashes[outcome.id],
                "device_id": self.principal.device_id,
                "user_id": self.principal.user_id,
                "household_id": household_id,
                "outcome": outcome.model_dump(mode="json", exclude_none=True),
            }
            for kind, outcome, household_id in self.kept
        ]


def _household_change(household_id: int, hamlet_id: int) -> dict[str, Any]:
    return {"entity": "household", "entity_key": str(household_id), "hamlet_id": hamlet_id}


def _refusal(record_id: str, error: RasoatError) -> Outcome:
    return Outcome(
        id=record_id,
        status=STATUS[error.code],
        result="refused",
        error=error.code.value,
        message=error.message("en"),
        detail=error.detail,
    )


def push(
    session: Session,
    principal: Principal,
    actor: Actor,
    domains: Domains,
    pushed_records: list[Record | Unreadable],
) -> list[Outcome]:
    """Apply pushed records once each and return one outcome per record, in order. A record
    whose id this user pushed before returns its first outcome (same content) or a 409 (other
    content); an id another user pushed is refused without a word of what it holds.

    Locks, in this order so that no two writers wait on each other crosswise: each record id
    (a replay running beside its original waits for it and replays), each new household
    code (two tablets registering one code: the second merges), the rows of the households
    edited, and last the writers' lock, which every writer of the change sequence takes and
    holds until it commits. New households and members go in before the writers' lock, and
    so do the edits (creates of a taken code first, then in order) of households no survey
    of the push writes, merged in memory and written together; their changes are appended
    after it. A household a survey of the push writes takes its edits one by one in order
    with the surveys, under the writers' lock, as each must see the one before."""
    records = [r for r in pushed_records if not isinstance(r, Unreadable)]
    repository.lock_keys(session, repository.LockSpace.RECORD_ID, (str(r.id) for r in records))
    batch = _Batch(principal, actor, domains)
    seen = repository.records(session, [str(r.id) for r in records])
    fresh: list[Record] = []
    hashes = batch.hashes
    for pushed in records:
        record_id = str(pushed.id)
        digest = content_hash(pushed)
        earlier = seen.get(record_id)
        if earlier is not None and earlier.user_id != principal.user_id:
            batch.refuse(record_id, RasoatError(ErrorCode.RECORD_ID_TAKEN, record=record_id))
            continue
        if earlier is not None or record_id in hashes:
            first_hash = earlier.content_hash if earlier is not None else hashes[record_id]
            if first_hash != digest:
                batch.refuse(
                    record_id,
                    RasoatError(
                        ErrorCode.CONFLICT, problem=f"record {record_id} was used for other content"
                    ),
                )
            elif earlier is not None:
                batch.outcomes[record_id] = Outcome.model_validate(
                    {**earlier.outcome, "replayed": True}
                )
            continue
        hashes[record_id] = digest
        fresh.append(pushed)
    over = _create_households(session, batch, [r for r in fresh if isinstance(r, HouseholdCreate)])
    edits = [r for r in fresh if isinstance(r, HouseholdEdit)]
    surveyed = {r.household_id for r in fresh if isinstance(r, SurveyPush)}
    households.lock_households(
        session, [t.household_id for t in over] + [r.household_id for r in edits] + sorted(surveyed)
    )
    together = [t for t in over if t.household_id not in surveyed]
    held = _edit_together(
        session, batch, together, [e for e in edits if e.household_id not in surveyed]
    )
    changes.lock_writers(session.connection())
    versions = repository.household_versions(session, list(held))
    for taken in over:
        if taken.household_id in surveyed:
            _guarded(session, batch, taken.create, partial(_create_alone, taken))
    for pushed in fresh:
        if isinstance(pushed, HouseholdEdit) and pushed.household_id in surveyed:
            _guarded(session, batch, pushed, partial(_edit_alone, pushed))
        elif isinstance(pushed, SurveyPush):
            _guarded(session, batch, pushed, partial(_submit, pushed))
    seqs = changes.add_changes(session.connection(), batch.rows + batch.changes)
    batch.settle(seqs, versions)
    kept = batch.records()
    repository.insert_records(session, kept)
    if kept:
        record(
            session,
            actor,
            "sync_push",
            "device",
            principal.device_id,
            after={
                "records": [
                    [r["uuid"], r["kind"], r["outcome"]["result"], r["household_id"]] for r in kept
                ]
            },
        )
    return [
        _refusal(r.id, r.error) if isinstance(r, Unreadable) else batch.outcomes[str(r.id)]
        for r in pushed_records
    ]


def _guarded(
    session: Session, batch: _Batch, pushed: Record, apply: Callable[[Session, _Batch], None]
) -> None:
    """Apply one record inside a savepoint: a refusal undoes only that record."""
    try:
        with session.begin_nested():
            apply(session, batch)
    except RasoatError as error:
        batch.refuse(str(pushed.id), error)


def _hamlets_for(
    session: Session, principal: Principal, hamlet_ids: list[int]
) -> dict[int, Hamlet | RasoatError]:
    """Return each hamlet the principal may register households in, or why not."""
    known = geography.hamlets_by_id(session, hamlet_ids)
    # A tablet that registered a household in a hamlet merged away since registers it in the
    # merged hamlet (issue 20: drafts survive the merge).
    found = geography.successors(session, known.values())
    allowed: dict[int, Hamlet | RasoatError] = {}
    for hamlet_id in set(hamlet_ids):
        hamlet = found.get(hamlet_id)
        if hamlet is None:
            allowed[hamlet_id] = RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {hamlet_id}")
            continue
        try:
            require_place(principal, Permission.EDIT_HOUSEHOLDS, place_of(hamlet))
            allowed[hamlet_id] = hamlet
        except RasoatError as error:
            allowed[hamlet_id] = error
    return allowed


def _create_households(
    session: Session, batch: _Batch, creates: list[HouseholdCreate]
) -> list[_Taken]:
    """Register new households in a few statements; return the creates whose code is taken
    (before or by an earlier create of the push), each with that household's id. Each such
    create is an edit of that household by a device that did not know it (merged or queued
    as a conflict), applied by the caller."""
    if not creates:
        return []
    hamlets = _hamlets_for(session, batch.principal, [c.hamlet_id for c in creates])
    repository.lock_keys(session, repository.LockSpace.HOUSEHOLD_CODE, (c.code for c in creates))
    taken = households.codes_taken_anywhere(session, [c.code for c in creates])
    new: list[tuple[HouseholdCreate, int]] = []
    later: list[HouseholdCreate] = []
    codes: set[tuple[int, str]] = set()
    for create in creates:
        place = hamlets[create.hamlet_id]
        if isinstance(place, RasoatError):
            batch.refuse(str(create.id), place)
        elif len({m.member_no for m in create.members}) != len(create.members):
            batch.refuse(
                str(create.id),
                RasoatError(ErrorCode.INVALID_REQUEST, problem="member numbers repeat"),
            )
        elif (key := (place.commune_id, create.code)) in taken or key in codes:
            later.append(create)
        else:
            codes.add(key)
            new.append((create, place.commune_id))
    folded: dict[str, str] = {}
    for create, _ in new:
        for name in (create.head_name, *(m.full_name for m in create.members)):
            if name not in folded:
                folded[name] = fold(name)
    rows = []
    for create, commune_id in new:
        names = [folded[create.head_name]] + [folded[m.full_name][:120] for m in create.members]
        rows.append(
            {
                "hamlet_id": _place(hamlets, create).id,
                "commune_id": commune_id,
                "code": create.code,
                "head_name": create.head_name,
                "address": create.address,
                "latitude": create.latitude,
                "longitude": create.longitude,
                "names_folded": " | ".join(dict.fromkeys(names))[:4000],
            }
        )
    members = [
        [
            {
                "member_no": m.member_no,
                "position": position,
                "full_name": m.full_name,
                "name_folded": folded[m.full_name][:120],
                "birth_date": m.birth_date,
                "sex": m.sex,
                **{name: getattr(m, name) for name in MEMBER_FACTS},
            }
            for position, m in enumerate(create.members)
        ]
        for create, _ in new
    ]
    ids = households.insert_households(session, rows, members) if rows else []
    for household_id, (create, _) in zip(ids, new, strict=True):
        outcome = Outcome(
            id=str(create.id), status=201, result="applied", household_id=household_id
        )
        batch.done(create, outcome, household_id)
        place = _place(hamlets, create)
        row = batch.change(household_id, place.id)
        batch.pending.append(_Pending(outcome, household_id, row))
    ids_by_code = taken | {
        (commune_id, create.code): household_id
        for household_id, (create, commune_id) in zip(ids, new, strict=True)
    }
    return [
        _Taken(create, ids_by_code[(place.commune_id, create.code)], place.id)
        for create in later
        if not isinstance(place := hamlets[create.hamlet_id], RasoatError)
    ]


def _place(hamlets: dict[int, Hamlet | RasoatError], create: HouseholdCreate) -> Hamlet:
    place = hamlets[create.hamlet_id]
    assert not isinstance(place, RasoatError)
    return place


def _as_edit(create: HouseholdCreate, household_id: int) -> HouseholdEdit:
    """Return a create of a taken code as an edit of that household from nothing known."""
    proposed: dict[str, Any] = {k: getattr(create, k) for k in HOUSEHOLD_FIELDS}
    for m in create.members:
        proposed[f"members/{m.member_no}"] = m.model_dump(mode="json", exclude={"member_no"})
    return HouseholdEdit(
        kind="household.edit",
        id=create.id,
        household_id=household_id,
        base_version=0,
        set=proposed,
        base=dict.fromkeys(proposed),
    )


def _editable(
    session: Session, principal: Principal, household_ids: list[int]
) -> tuple[dict[int, _Held], dict[int, RasoatError]]:
    """Return the households among ``household_ids`` held for editing, and why the
    principal may not edit each of the others."""
    held = _held(session, household_ids)
    hamlets = geography.hamlets_by_id(session, [h.hamlet_id for h in held.values()])
    refused: dict[int, RasoatError] = {}
    for household_id in household_ids:
        household = held.get(household_id)
        if household is None:
            refused[household_id] = RasoatError(
                ErrorCode.NOT_FOUND, what=f"household {household_id}"
            )
            continue
        try:
            place = place_of(hamlets[household.hamlet_id])
            require_place(principal, Permission.EDIT_HOUSEHOLDS, place)
        except RasoatError as error:
            refused[household_id] = error
    return held, refused


class _Taken(NamedTuple):
    """A create of a code taken by ``household_id``, registering it in ``hamlet_id`` (the
    hamlet it names, or the one that hamlet merged into)."""

    create: HouseholdCreate
    household_id: int
    hamlet_id: int


def _over(taken: _Taken, held: dict[int, _Held], refused: dict[int, RasoatError]) -> _Held:
    """Return the household a create of its code edits; raise CONFLICT when the create
    registers it in another hamlet."""
    household = held[taken.household_id]
    if household.hamlet_id != taken.hamlet_id:
        raise RasoatError(
            ErrorCode.CONFLICT, problem=f"household {taken.create.code} exists in another hamlet"
        )
    if household.id in refused:
        raise refused[household.id]
    return household


def _edit_together(
    session: Session,
    batch: _Batch,
    over: list[_Taken],
    edits: list[HouseholdEdit],
) -> dict[int, _Held]:
    """Merge the creates of taken codes, then the edits in order, into the households held
    in memory, write them all at once, and return the households held. Their change rows
    and versions wait for the writers' lock."""
    ids = [t.household_id for t in over] + [e.household_id for e in edits]
    if not ids:
        return {}
    held, refused = _editable(session, batch.principal, ids)
    merges: list[tuple[Record, HouseholdEdit, _Held]] = []
    for taken in over:
        try:
            household = _over(taken, held, refused)
            merges.append((taken.create, _as_edit(taken.create, household.id), household))
        except RasoatError as error:
            batch.refuse(str(taken.create.id), error)
    for edit in edits:
        if edit.household_id in refused:
            batch.refuse(str(edit.id), refused[edit.household_id])
        else:
            merges.append((edit, edit, held[edit.household_id]))
    for pushed, edit, household in merges:
        since = household.changed_at
        try:
            outcome, changed = _merge(session, batch, household, edit, pushed)
        except RasoatError as error:
            batch.refuse(str(pushed.id), error)
            continue
        row = None
        if changed:
            row = household.changed_at = batch.change(household.id, household.hamlet_id)
        batch.pending.append(_Pending(outcome, household.id, row, since, edit.base_version))
    _write(session, held.values())
    return held


def _create_alone(taken: _Taken, session: Session, batch: _Batch) -> None:
    """Merge a create of a taken code into a household a survey of the push writes."""
    held, refused = _editable(session, batch.principal, [taken.household_id])
    household = _over(taken, held, refused)
    _merge_alone(session, batch, household, _as_edit(taken.create, household.id), taken.create)


def _edit_alone(edit: HouseholdEdit, session: Session, batch: _Batch) -> None:
    """Merge an edit of a household a survey of the push writes."""
    held, refused = _editable(session, batch.principal, [edit.household_id])
    if edit.household_id in refused:
        raise refused[edit.household_id]
    _merge_alone(session, batch, held[edit.household_id], edit, edit)


def _merge_alone(
    session: Session, batch: _Batch, household: _Held, edit: HouseholdEdit, pushed: Record
) -> None:
    """Merge one edit, write it and append its change at once, in order with the surveys
    of the push writing the same household."""
    met = repository.household_versions(session, [household.id]).get(household.id, 0)
    outcome, changed = _merge(session, batch, household, edit, pushed)
    _write(session, [household])
    households.expire_household(session, household.id)
    outcome.version = met
    if changed:
        row = _household_change(household.id, household.hamlet_id)
        outcome.version = changes.add_changes(session.connection(), [row])[0]
    if edit.base_version < met and outcome.result == "applied":
        outcome.result = "merged"


def _merge(
    session: Session, batch: _Batch, household: _Held, edit: HouseholdEdit, pushed: Record
) -> tuple[Outcome, bool]:
    """Apply to ``household`` the fields the device changed whose value is still the one
    it started from; keep the device's value of every other changed field in a queued
    conflict. Return the record's outcome (its version and whether it merged a stale edit
    are settled by the caller) and whether a stored value changes."""
    current = household.document()
    document = orjson.loads(orjson.dumps(current))
    overlapping: dict[str, Any] = {}
    # Whole members before their fields, so a member added and filled in one edit applies.
    for path in sorted(edit.set, key=lambda p: (p.count("/"), p)):
        wanted = _json(edit.set[path])
        if len(split(path)) == 2 and isinstance(wanted, dict):
            wanted = {k: wanted.get(k) for k in MEMBER_FIELDS}
        held = value_at(current, path)
        if held == wanted:
            continue
        started = _json(edit.base.get(path))
        if len(split(path)) == 2 and isinstance(started, dict):
            started = {k: started.get(k) for k in MEMBER_FIELDS}
        if held == started:
            set_at(document, path, wanted)
        else:
            overlapping[path] = {"base": started, "server": held, "device": wanted}
    changed = document != current and _apply(household, _validated(document))
    outcome = Outcome(id=str(edit.id), status=200, result="applied", household_id=household.id)
    if overlapping:
        conflict = Conflict(
            household_id=household.id,
            hamlet_id=household.hamlet_id,
            record_uuid=str(edit.id),
            device_id=batch.principal.device_id,
            user_id=batch.principal.user_id,
            base_version=edit.base_version or None,
            fields=overlapping,
        )
        repository.add(session, conflict)
        batch.changes.append(
            {"entity": "conflict", "entity_key": str(conflict.id), "hamlet_id": conflict.hamlet_id}
        )
        outcome.result = "conflict"
        outcome.conflict_id = conflict.id
    batch.done(pushed, outcome, household.id)
    return outcome, changed


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _submit(pushed: SurveyPush, session: Session, batch: _Batch) -> None:
    receive = batch.domains.receiver(pushed.form_id)
    receipt = receive(session, batch.principal, batch.actor, pushed)
    outcome = Outcome(
        id=str(pushed.id),
        status=200 if receipt.replayed else 201,
        result="applied",
        household_id=receipt.household_id,
        survey_id=receipt.survey_id,
        household_class=receipt.household_class,
        geofence=receipt.geofence,
    )
    batch.done(pushed, outcome, receipt.household_id)


# ----------------------------------------------------------------------------- conflicts


def conflicts_for(session: Session, principal: Principal, status: str | None) -> list[Conflict]:
    """Return the conflicts of the principal's scope."""
    require(principal, Permission.READ_REGISTRY)
    return repository.conflicts_in(session, principal.scope, status)


def resolve(
    session: Session,
    principal: Principal,
    actor: Actor,
    conflict_id: int,
    keep: str | None,
    values: dict[str, Any],
) -> Conflict:
    """Settle a queued conflict: keep the server's values, take the device's, or set
    ``values``; the household changes accordingly and every device learns on its next pull."""
    problem = unstorable({"values": values})
    if problem is not None:
        raise problem
    conflict = repository.conflict(session, conflict_id)
    if conflict is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"conflict {conflict_id}")
    hamlet = geography.hamlets_by_id(session, [conflict.hamlet_id])[conflict.hamlet_id]
    require_place(principal, Permission.RESOLVE_CONFLICTS, place_of(hamlet))
    if conflict.status != "open":
        raise RasoatError(ErrorCode.CONFLICT, problem=f"conflict {conflict_id} is settled")
    if keep is None and not values:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="give keep or values")
    chosen = dict(values)
    if keep == "device":
        chosen = {path: f["device"] for path, f in conflict.fields.items()} | chosen
    households.lock_households(session, [conflict.household_id])
    household = _held(session, [conflict.household_id]).get(conflict.household_id)
    if household is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"household {conflict.household_id}")
    rows = []
    if chosen:
        document = household.document()
        for path, value in sorted(chosen.items(), key=lambda p: (p[0].count("/"), p[0])):
            set_at(document, path, _json(value))
        if _apply(household, _validated(document)):
            _write(session, [household])
            rows.append(_household_change(household.id, household.hamlet_id))
    conflict.status = "resolved"
    conflict.resolution = {"keep": keep, "values": chosen, "by": principal.user_id}
    conflict.resolved_by = principal.user_id
    conflict.resolved_at = utcnow()
    session.flush()
    record(session, actor, "resolve", "sync_conflict", conflict.id, after=conflict.resolution)
    changes.add_changes(
        session.connection(),
        [
            *rows,
            {"entity": "conflict", "entity_key": str(conflict.id), "hamlet_id": conflict.hamlet_id},
        ],
    )
    return conflict


# ----------------------------------------------------------------------------- photos


def _photo_household(session: Session, principal: Principal, household_id: int) -> Household:
    household = households.household(session, household_id)
    if household is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"household {household_id}")
    hamlet = geography.hamlets_by_id(session, [household.hamlet_id])[household.hamlet_id]
    require_place(principal, _photographer(principal), place_of(hamlet))
    return household


def _photographer(principal: Principal) -> Permission:
    """Return the permission a photo is taken under: a survey's, or a support visit's."""
    if principal.can(Permission.SUBMIT_SURVEYS):
        return Permission.SUBMIT_SURVEYS
    return Permission.RECORD_VISITS


def _held_in_scope(session: Session, principal: Principal, sha256: str) -> bool:
    """Return whether the photo is recorded for a household of the principal's scope."""
    photo = repository.photo(session, sha256)
    if photo is None:
        return False
    hamlet = geography.hamlets_by_id(session, [photo.hamlet_id])[photo.hamlet_id]
    return principal.scope.covers(place_of(hamlet))


def photo_state(session: Session, store: PhotoStore, principal: Principal, sha256: str) -> Stored:
    """Return how much of a photo the server holds. A photo of a household outside the
    principal's scope answers as one never received: its existence is not theirs to know."""
    require(principal, _photographer(principal))
    stored = store.state(sha256)
    if stored.complete and not _held_in_scope(session, principal, sha256):
        return Stored(0, False)
    return stored


def upload_photo(
    session: Session,
    store: PhotoStore,
    principal: Principal,
    sha256: str,
    household_id: int,
    offset: int,
    size: int,
    chunk: bytes,
) -> Stored:
    """Add a chunk of a photo of a household the principal surveys; when the photo is whole
    and verified, record it once."""
    household = _photo_household(session, principal, household_id)
    # Only a photo held in the principal's scope is complete at once; another is received
    # whole and verified, so an upload does not tell who holds what either.
    reuse = _held_in_scope(session, principal, sha256)
    stored = store.write(sha256, offset, chunk, size, reuse)
    if stored.complete and repository.photo(session, sha256) is None:
        width, height = (stored.width, stored.height) if stored.width else store.dimensions(sha256)
        try:
            with session.begin_nested():
                repository.add(
                    session,
                    Photo(
                        sha256=sha256,
                        size=stored.received,
                        width=width,
                        height=height,
                        household_id=household.id,
                        hamlet_id=household.hamlet_id,
                        uploaded_by=principal.user_id,
                    ),
                )
        except IntegrityError:
            pass  # the same photo finished by a replayed request at the same moment
    return stored


def thumbnail(session: Session, store: PhotoStore, principal: Principal, sha256: str) -> bytes:
    """Return the thumbnail of a photo of a household the principal may read; one
    outside the principal's scope is not found, as one never received."""
    require(principal, Permission.READ_REGISTRY)
    if not _held_in_scope(session, principal, sha256):
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"photo {sha256}")
    return store.thumbnail(sha256)
