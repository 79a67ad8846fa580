"""Importing a commune's household list: a preview of what would change, then the whole file
written in the caller's transaction, or nothing.

Each household of the file is created (a new code in the commune), updated (its hamlet, head,
address, members or last year's class differ), unchanged, or refused (any cell refused). A
commit with any refusal writes nothing. An update never removes a member nor blanks a value
the registry holds: a member missing from the file may have been added on a tablet since the
list was made, so removing people stays a decision taken household by household.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, Scope, ScopeKind, require, require_place
from server.db import utcnow
from server.geography import repository as geography
from server.geography.models import Commune, Hamlet
from server.households import repository as households
from server.households.models import Household, HouseholdYear, Member
from server.households.service import names_folded
from server.imports.columns import Field, heading_key
from server.imports.reading import read_table
from server.imports.rows import FileHousehold, FileMember, Refusal, read_households
from server.text import fold
from shared.errors import ErrorCode, RasoatError, RowProblem
from shared.standards import load_catalog

Action = Literal["create", "update", "unchanged", "refused"]
ACTIONS: tuple[Action, ...] = ("create", "update", "unchanged", "refused")
SOURCE = "import"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Outcome:
    """What the import does to one household of the file; ``changes`` names what an update
    changes (hamlet, head_name, address, members, class)."""

    code: str
    row: int
    action: Action
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preview:
    commune_id: int
    year: int
    file_sha256: str
    outcomes: list[Outcome]
    refusals: list[Refusal]
    ignored: list[str]
    committed: bool = False

    def counts(self) -> dict[Action, int]:
        """Return the number of households per action."""
        found = Counter(o.action for o in self.outcomes)
        return {action: found[action] for action in ACTIONS}


@dataclass(frozen=True)
class ImportRequest:
    """A file to import into a commune, with the year its class column stands for."""

    data: bytes
    filename: str
    mapping: dict[str, Field]
    year: int
    today: date


@dataclass
class _Plan:
    creates: list[tuple[FileHousehold, Hamlet]] = field(default_factory=list)
    updates: list[tuple[FileHousehold, Hamlet, Household]] = field(default_factory=list)
    classes: list[FileHousehold] = field(default_factory=list)
    standing: dict[int, HouseholdYear] = field(default_factory=dict)


class ImportRefusedError(RasoatError):
    """A commit of a file with refused rows: nothing is written. Carries the preview; the
    error's detail lists the refusals by row, column and problem code."""

    def __init__(self, preview: Preview) -> None:
        super().__init__(
            ErrorCode.IMPORT_REFUSED,
            count=len(preview.refusals),
            refusals=[
                {"row": r.row, "column": r.column, "problem": r.problem.value, **r.detail}
                for r in preview.refusals
            ],
        )
        self.preview = preview


def vietnam_today() -> date:
    """Return today's date in Vietnam, whatever the server's time zone."""
    return datetime.now(VIETNAM).date()


def _hamlet_index(hamlets: list[Hamlet]) -> dict[str, Hamlet]:
    index: dict[str, Hamlet] = {}
    for hamlet in hamlets:
        index.setdefault(heading_key(hamlet.code), hamlet)
        index.setdefault(heading_key(hamlet.name), hamlet)
    return index


def _match(member: FileMember, held: list[Member]) -> Member | None:
    """Return the registry's member the file's row is: the same citizen id, else the only one
    of the same name (and birth date when both have one)."""
    if member.citizen_id is not None:
        for found in held:
            if found.national_id == member.citizen_id:
                return found
    folded = fold(member.full_name)[:120]
    named = [
        m
        for m in held
        if m.name_folded == folded
        and (m.birth_date is None or member.birth_date in (None, m.birth_date))
    ]
    return named[0] if len(named) == 1 else None


def _member_values(member: FileMember) -> dict[str, Any]:
    given = {
        "full_name": member.full_name,
        "birth_date": member.birth_date,
        "sex": member.sex,
        "relation": member.relation,
        "national_id": member.citizen_id,
    }
    return {key: value for key, value in given.items() if value is not None}


def _members_change(household: FileHousehold, held: list[Member]) -> bool:
    for member in household.members:
        found = _match(member, held)
        if found is None:
            return True
        if any(getattr(found, k) != v for k, v in _member_values(member).items()):
            return True
    return False


def _changes(household: FileHousehold, hamlet: Hamlet, held: Household) -> tuple[str, ...]:
    changes = []
    if held.hamlet_id != hamlet.id:
        changes.append("hamlet")
    if household.head_name != held.head_name:
        changes.append("head_name")
    if household.address is not None and household.address != held.address:
        changes.append("address")
    if _members_change(household, list(held.members)):
        changes.append("members")
    return tuple(changes)


def _refuse(
    refusals: list[Refusal],
    column: str,
    row: int,
    household: FileHousehold,
    problem: RowProblem,
    **detail: Any,
) -> None:
    refusals.append(Refusal(row, column, problem, detail))
    household.refused = True


def plan_import(
    session: Session, commune: Commune, request: ImportRequest
) -> tuple[Preview, _Plan]:
    """Return the preview of importing the file into ``commune`` and what a commit writes."""
    table = read_table(request.data, request.filename, request.mapping)
    parsed = read_households(table, request.mapping, request.today)
    refusals = list(parsed.refusals)
    in_commune = Scope(ScopeKind.COMMUNE, commune_id=commune.id)
    hamlets = _hamlet_index(geography.hamlets(session, in_commune, commune.id))
    held = households.households_by_code(session, commune.id, [h.code for h in parsed.households])
    holders = households.national_ids_in_commune(session, commune.id)
    standing = households.year_classes(session, [h.id for h in held.values()], request.year)
    plan = _Plan(standing=standing)
    outcomes: list[Outcome] = []
    for household in parsed.households:
        hamlet = hamlets.get(heading_key(household.hamlet or ""))
        if hamlet is None and household.hamlet is not None:
            _refuse(
                refusals,
                parsed.column(Field.HAMLET),
                household.row,
                household,
                RowProblem.UNKNOWN_HAMLET,
                value=household.hamlet,
            )
        for member in household.members:
            holder = holders.get(member.citizen_id or "")
            if holder is not None and holder != household.code:
                _refuse(
                    refusals,
                    parsed.column(Field.CITIZEN_ID),
                    member.row,
                    household,
                    RowProblem.CITIZEN_ID_TAKEN,
                    value=member.citizen_id,
                    other=holder,
                )
        if household.refused or hamlet is None:
            outcomes.append(Outcome(household.code, household.row, "refused"))
            continue
        existing = held.get(household.code)
        changes = () if existing is None else _changes(household, hamlet, existing)
        year_row = None if existing is None else standing.get(existing.id)
        if household.last_class is not None and (
            year_row is None or year_row.household_class != household.last_class
        ):
            changes = (*changes, "class")
            plan.classes.append(household)
        if existing is None:
            plan.creates.append((household, hamlet))
            outcomes.append(Outcome(household.code, household.row, "create"))
        elif changes:
            plan.updates.append((household, hamlet, existing))
            outcomes.append(Outcome(household.code, household.row, "update", changes))
        else:
            outcomes.append(Outcome(household.code, household.row, "unchanged"))
    refusals.sort(key=lambda r: r.row)
    digest = hashlib.sha256(request.data).hexdigest()
    preview = Preview(commune.id, request.year, digest, outcomes, refusals, parsed.ignored)
    return preview, plan


def _new_member(member: FileMember, member_no: str, position: int) -> Member:
    return Member(**_member_columns(member, member_no, position))


def _member_columns(member: FileMember, member_no: str, position: int) -> dict[str, Any]:
    return {
        "member_no": member_no,
        "position": position,
        "full_name": member.full_name,
        "name_folded": fold(member.full_name)[:120],
        "birth_date": member.birth_date,
        "sex": member.sex,
        "relation": member.relation,
        "national_id": member.citizen_id,
    }


def _created(
    household: FileHousehold, hamlet: Hamlet, now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the column values of a new household and of its members."""
    assert household.head_name is not None
    members = [
        _member_columns(m, str(number), number - 1)
        for number, m in enumerate(household.members, start=1)
    ]
    # The registry's search column, as households.service.names_folded makes it.
    names = [fold(household.head_name)] + [m["name_folded"] for m in members]
    row = {
        "hamlet_id": hamlet.id,
        "commune_id": hamlet.commune_id,
        "code": household.code,
        "head_name": household.head_name,
        "address": household.address or "",
        "latitude": None,
        "longitude": None,
        "names_folded": " | ".join(dict.fromkeys(names))[:4000],
        "created_at": now,
        "updated_at": now,
    }
    return row, members


def _update(held: Household, household: FileHousehold, hamlet: Hamlet) -> None:
    assert household.head_name is not None
    if held.hamlet_id != hamlet.id:
        held.hamlet_id = hamlet.id
    if held.head_name != household.head_name:
        held.head_name = household.head_name
    if household.address is not None and held.address != household.address:
        held.address = household.address
    taken = {m.member_no for m in held.members}
    for member in household.members:
        found = _match(member, list(held.members))
        if found is None:
            number = len(held.members) + 1
            while str(number) in taken:
                number += 1
            taken.add(str(number))
            position = max((m.position for m in held.members), default=-1) + 1
            held.members.append(_new_member(member, str(number), position))
            continue
        for key, value in _member_values(member).items():
            if getattr(found, key) != value:
                setattr(found, key, value)
        found.name_folded = fold(found.full_name)[:120]
    folded = names_folded(held.head_name, list(held.members))
    if held.names_folded != folded:
        held.names_folded = folded


def _record_classes(
    session: Session,
    actor: Actor,
    plan: _Plan,
    written: dict[str, tuple[int, int]],
    request: ImportRequest,
    now: datetime,
) -> dict[int, int]:
    """Record the file's class of each household as its standing class of the year, the way
    the registry does (a classification row, and the year's row pointing at it); return the
    households (id → hamlet id) given a year's row outside the unit of work."""
    standard = load_catalog().for_list_year(request.year).id
    rows: list[dict[str, Any]] = []
    for household in plan.classes:
        assert household.last_class is not None
        # No survey stands behind a listed class: the result says where it came from (no
        # reasons, so nothing in any language).
        document = {
            "class": household.last_class,
            "standard": standard,
            "deprived": [],
            "indicators": {},
            "imported": {"file": request.filename, "row": household.row},
        }
        rows.append(
            {
                "household_id": written[household.code][0],
                "year": request.year,
                "household_class": household.last_class,
                "standard_id": standard,
                # The list it comes from was recognised by the commune's decision.
                "complete": True,
                "deprived": [],
                "result": document,
                "source": SOURCE,
                "survey_id": None,
                "recorded_by": actor.user_id,
                "recorded_at": now,
            }
        )
    ids = households.insert_classifications(session, rows)
    new_years: list[dict[str, Any]] = []
    hamlet_of = dict(written.values())
    for row, classification_id in zip(rows, ids, strict=True):
        standing = plan.standing.get(row["household_id"])
        if standing is None:
            new_years.append(
                {
                    "household_id": row["household_id"],
                    "year": row["year"],
                    "household_class": row["household_class"],
                    "classification_id": classification_id,
                }
            )
        else:
            standing.household_class = row["household_class"]
            standing.classification_id = classification_id
    households.insert_year_classes(session, new_years)
    return {row["household_id"]: hamlet_of[row["household_id"]] for row in new_years}


def _write(
    session: Session,
    actor: Actor,
    commune: Commune,
    request: ImportRequest,
    preview: Preview,
    plan: _Plan,
) -> None:
    now = utcnow()
    made = [_created(household, hamlet, now) for household, hamlet in plan.creates]
    ids = households.insert_households(session, [m[0] for m in made], [m[1] for m in made])
    written = {row["code"]: (i, row["hamlet_id"]) for (row, _), i in zip(made, ids, strict=True)}
    announced = {i: row["hamlet_id"] for (row, _), i in zip(made, ids, strict=True)}
    for household, hamlet, held in plan.updates:
        _update(held, household, hamlet)
        written[held.code] = (held.id, hamlet.id)
    announced |= _record_classes(session, actor, plan, written, request, now)
    # Updates of registered households flush through the unit of work, whose listener
    # announces them; what was inserted in bulk is announced here.
    session.flush()
    households.announce(session, announced)
    counts = preview.counts()
    record(
        session,
        actor,
        "import",
        "commune",
        commune.id,
        after={
            "file": request.filename,
            "sha256": preview.file_sha256,
            "year": request.year,
            "created": [h.code for h, _ in plan.creates],
            "updated": [h.code for h, _, _ in plan.updates],
            "unchanged": counts["unchanged"],
            "classes": len(plan.classes),
        },
    )


def import_households(
    session: Session, actor: Actor, commune: Commune, request: ImportRequest, commit: bool
) -> Preview:
    """Return the preview of importing the file into ``commune``; with ``commit``, also write
    it in the session's transaction, or raise ImportRefusedError (writing nothing) when any
    row is refused."""
    preview, plan = plan_import(session, commune, request)
    if not commit:
        return preview
    if preview.refusals:
        raise ImportRefusedError(preview)
    if not (plan.creates or plan.updates or plan.classes):
        # The same file again: nothing to write, nothing to audit, nothing for tablets.
        return replace(preview, committed=True)
    _write(session, actor, commune, request, preview, plan)
    return replace(preview, committed=True)


def import_for(
    session: Session,
    principal: Principal,
    actor: Actor,
    commune_id: int,
    request: ImportRequest,
    commit: bool,
) -> Preview:
    """Import into a commune the principal works in. Besides editing households, it takes
    running the review: the file sets last year's lists, which the review compares with."""
    commune = geography.commune(session, commune_id)
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {commune_id}")
    require(principal, Permission.MANAGE_REVIEW)
    require_place(principal, Permission.EDIT_HOUSEHOLDS, geography.place_of_commune(commune))
    return import_households(session, actor, commune, request, commit)
