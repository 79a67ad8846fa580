"""Hamlets that merge or are renamed: the geography's part (issue 20).

Thôn and tổ dân phố are being reorganised nationwide from 2026. A merge is never a delete: the
hamlets merged away keep their rows, retired from the merge date with a pointer to the hamlet
they went into, so every earlier record still names the hamlet it was made in. The merged
hamlet is one of them (kept, perhaps renamed) or a new one; its boundary is the union of theirs.
Users who worked in a merged-away hamlet work in the merged one from then on.

Moving the records other domains keep per hamlet (households first) is composed above this
package (``server.reorganisation``); nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth import repository as users
from server.auth.policy import Permission, Principal, require_place
from server.geography import repository
from server.geography.models import Commune, Hamlet, HamletChange
from server.geography.service import HAMLET_KINDS, validate_boundary
from server.text import fold
from shared.errors import ErrorCode, RasoatError

MERGE = "merge"
RENAME = "rename"
_NAME_LENGTH = 120
_CODE_LENGTH = 32


@dataclass(frozen=True)
class MergeRequest:
    """What an officer asks: merge ``hamlet_ids`` (two or more) into ``into_id`` (one of them)
    or, when None, into a new hamlet named ``name`` (code ``code``, derived from the parts'
    when None); or, with one hamlet and ``rename``, give it ``name``. ``area`` and ``kind``
    of the merged hamlet default to the kept hamlet's, else the first part's."""

    hamlet_ids: tuple[int, ...]
    effective_on: date
    name: str | None = None
    into_id: int | None = None
    code: str | None = None
    area: str | None = None
    kind: str | None = None
    rename: bool = False


@dataclass(frozen=True)
class MergePlan:
    """What a merge or rename will do, before it is done: the hamlets as they stand, the one
    kept (None: a new one is made), the merged hamlet's name, code, kind, area and boundary,
    the parts that had no boundary to add, and the users whose hamlets change."""

    kind: str
    commune: Commune
    parts: list[Hamlet]
    into: Hamlet | None
    name: str
    code: str
    hamlet_kind: str
    area: str
    boundary: dict[str, Any] | None
    without_boundary: list[str]
    users: list[Any]
    effective_on: date

    @property
    def retiring(self) -> list[Hamlet]:
        """Return the hamlets the merge retires (every part but the kept one)."""
        return [h for h in self.parts if self.into is None or h.id != self.into.id]


@dataclass(frozen=True)
class MergeDone:
    """A merge or rename made: its record, the merged (or renamed) hamlet, the hamlets it
    retired, and the ids of the users whose hamlets changed."""

    change: HamletChange
    hamlet: Hamlet
    retired: list[Hamlet]
    user_ids: list[int]


def _name(value: str | None) -> str:
    return " ".join((value or "").split())[:_NAME_LENGTH]


def plan_merge(session: Session, principal: Principal | None, asked: MergeRequest) -> MergePlan:
    """Return what ``asked`` would do, or raise: NOT_FOUND, FORBIDDEN / OUT_OF_SCOPE (only those
    who reorganise the commune's hamlets: commune officers), HAMLETS_OF_DIFFERENT_COMMUNES,
    HAMLET_RETIRED, MERGE_NEEDS_TWO_HAMLETS, HAMLET_NAME_TAKEN, HAMLET_CODE_TAKEN or
    INVALID_REQUEST. ``principal`` None is the server's operator at the command line."""
    ids = list(dict.fromkeys(asked.hamlet_ids))
    found = repository.hamlets_by_id(session, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {missing[0]}")
    parts = [found[i] for i in ids]
    for part in parts:
        if principal is not None:
            require_place(principal, Permission.MERGE_HAMLETS, repository.place_of(part))
    if len({p.commune_id for p in parts}) > 1:
        raise RasoatError(
            ErrorCode.HAMLETS_OF_DIFFERENT_COMMUNES,
            hamlets=", ".join(f"{p.name} ({p.commune.name})" for p in parts),
        )
    for part in parts:
        if part.retired_on is not None:
            successor = repository.hamlet(session, part.merged_into_id or 0)
            raise RasoatError(
                ErrorCode.HAMLET_RETIRED,
                hamlet=part.name,
                into=successor.name if successor is not None else "—",
                date=part.retired_on.strftime("%d/%m/%Y"),
            )
    commune = parts[0].commune
    if asked.rename:
        if len(parts) != 1:
            raise RasoatError(ErrorCode.INVALID_REQUEST, problem="a rename names one hamlet")
        into: Hamlet | None = parts[0]
    else:
        if len(parts) < 2:
            raise RasoatError(ErrorCode.MERGE_NEEDS_TWO_HAMLETS)
        into = found.get(asked.into_id) if asked.into_id is not None else None
        if asked.into_id is not None and into is None:
            raise RasoatError(
                ErrorCode.INVALID_REQUEST, problem="the hamlet kept must be one of those merged"
            )
    name = _name(asked.name) or (into.name if into is not None else "")
    if not name:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the merged hamlet needs a name")
    _check_name_free(session, commune, name, into)
    first = into or parts[0]
    code = into.code if into is not None else _new_code(session, commune, asked.code, parts)
    hamlet_kind = asked.kind or first.kind
    if hamlet_kind not in HAMLET_KINDS:
        raise RasoatError(ErrorCode.UNKNOWN_HAMLET_KIND, kind=hamlet_kind)
    area = asked.area or first.area
    if area not in ("rural", "urban"):
        raise RasoatError(ErrorCode.UNKNOWN_AREA)
    shaped = [p for p in parts if p.boundary is not None]
    boundary = (
        validate_boundary(dict(mapping(unary_union([shape(p.boundary) for p in shaped]))), code)
        if shaped
        else None
    )
    retiring = [p.id for p in parts if into is None or p.id != into.id]
    return MergePlan(
        kind=RENAME if asked.rename else MERGE,
        commune=commune,
        parts=parts,
        into=into,
        name=name,
        code=code,
        hamlet_kind=hamlet_kind,
        area=area,
        boundary=boundary,
        without_boundary=[p.name for p in parts if p.boundary is None],
        users=users.users_of_hamlets(session, retiring),
        effective_on=asked.effective_on,
    )


def _check_name_free(session: Session, commune: Commune, name: str, into: Hamlet | None) -> None:
    """Raise HAMLET_NAME_TAKEN when a hamlet of the commune in use, other than the one kept,
    has ``name`` (compared without diacritics or case: "Khu pho 1" is "Khu phố 1")."""
    wanted = fold(name)
    for other in repository.current_hamlets(session, commune.id):
        if fold(other.name) == wanted and (into is None or other.id != into.id):
            raise RasoatError(ErrorCode.HAMLET_NAME_TAKEN, commune=commune.name, name=name)


def _new_code(session: Session, commune: Commune, code: str | None, parts: list[Hamlet]) -> str:
    chosen = (code or "").strip() or "-".join(p.code for p in parts)
    chosen = chosen[:_CODE_LENGTH]
    if repository.hamlet_by_code(session, commune.id, chosen) is not None:
        raise RasoatError(ErrorCode.HAMLET_CODE_TAKEN, hamlet=chosen, commune=commune.code)
    return chosen


def apply_merge(session: Session, actor: Actor, plan: MergePlan) -> MergeDone:
    """Make the merge or rename ``plan`` describes and return what was made: the kept hamlet
    renamed, or a new hamlet valid from the merge date; the others retired into it; the
    users of the retired hamlets given the merged one; one change record and audit entries."""
    parts_before = [{"id": p.id, "code": p.code, "name": p.name} for p in plan.parts]
    hamlet = plan.into
    if hamlet is None:
        hamlet = Hamlet(
            commune_id=plan.commune.id,
            code=plan.code,
            name=plan.name,
            kind=plan.hamlet_kind,
            area=plan.area,
            boundary=plan.boundary,
            valid_from=plan.effective_on,
        )
        repository.add(session, hamlet)
    else:
        hamlet.name = plan.name
        hamlet.kind = plan.hamlet_kind
        hamlet.area = plan.area
        if plan.kind == MERGE:
            hamlet.boundary = plan.boundary
    retired = plan.retiring
    for part in retired:
        part.retired_on = plan.effective_on
        part.merged_into_id = hamlet.id
    session.flush()
    moved_users = users.move_to_hamlet(session, [p.id for p in retired], hamlet.id)
    change = HamletChange(
        commune_id=plan.commune.id,
        kind=plan.kind,
        hamlet_id=hamlet.id,
        effective_on=plan.effective_on,
        parts=parts_before,
        households=0,
        users=len(moved_users),
        made_by=actor.user_id,
    )
    repository.add(session, change)
    record(
        session,
        actor,
        "merge_hamlets" if plan.kind == MERGE else "rename_hamlet",
        "hamlet",
        hamlet.id,
        before={"hamlets": parts_before},
        after={
            "hamlet": {"id": hamlet.id, "code": hamlet.code, "name": hamlet.name},
            "retired": [p.id for p in retired],
            "effective_on": plan.effective_on.isoformat(),
            "change": change.id,
        },
    )
    for user_id, before, after in moved_users:
        record(
            session,
            actor,
            "assign_hamlets",
            "user",
            user_id,
            before={"hamlet_ids": before},
            after={"hamlet_ids": after, "because": f"hamlet_change {change.id}"},
        )
    return MergeDone(change, hamlet, retired, [u for u, _, _ in moved_users])
