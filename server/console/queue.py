"""The review queue: a round's cases filtered by hamlet, state, class, enumerator and flags,
sorted by any column, with the selected cases accepted at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from sqlalchemy.orm import Session

from server.auth import repository as users
from server.auth.policy import Permission
from server.auth.service import actor_of
from server.console.i18n import N_
from server.console.rendering import CLASS_NAMES, ConsoleRoute, gettext, page, redirect
from server.console.session import Actor, Looker
from server.db import DbSession
from server.ids import MAX_ID, PathId
from server.review import service as review
from server.review.service import CaseView
from shared.errors import ErrorCode, RasoatError
from shared.review.states import CaseState

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

FLAGS = ("outside", "changed", "returned")
SORTS = ("hamlet", "code", "head", "previous", "class", "change", "state", "enumerator")
WAITING = "waiting"


@dataclass(frozen=True)
class Filters:
    """What the officer asked the queue for."""

    hamlet_id: int | None
    state: str
    household_class: str | None
    enumerator_id: int | None
    flags: frozenset[str]
    sort: str
    descending: bool

    def keeps(self, view: CaseView) -> bool:
        """Return True when the case passes the class, enumerator and flag filters."""
        case = view.case
        if self.household_class and case.final_class != self.household_class:
            return False
        enumerator = view.survey.enumerator_id if view.survey else None
        if self.enumerator_id is not None and enumerator != self.enumerator_id:
            return False
        return all(flag in flags_of(view) for flag in self.flags)


def flags_of(view: CaseView) -> set[str]:
    """Return the flags the queue shows and filters on: surveyed outside the hamlet's
    boundary, class changed from last year, returned to the tablet at least once."""
    flags = set()
    if view.geofence_distance_m is not None:
        flags.add("outside")
    if view.case.change not in (None, "unchanged"):
        flags.add("changed")
    if view.comments:
        flags.add("returned")
    return flags


def _names(session: Session, views: list[CaseView]) -> dict[int, str]:
    ids = {v.survey.enumerator_id for v in views if v.survey}
    found = {}
    for user_id in sorted(ids):
        user = users.user(session, user_id)
        if user is not None:
            found[user_id] = user.full_name
    return found


def _sort_key(sort: str, names: dict[int, str]) -> Callable[[CaseView], tuple[str, str]]:
    def key(view: CaseView) -> tuple[str, str]:
        case = view.case
        column = {
            "hamlet": view.hamlet.name,
            "code": view.household.code,
            "head": view.household.head_name,
            "previous": case.previous_class or "",
            "class": case.final_class or "",
            "change": case.change or "",
            "state": case.state,
            "enumerator": names.get(view.survey.enumerator_id, "") if view.survey else "",
        }[sort]
        return column, view.household.code

    return key


@router.get("/rounds/{round_id}/queue")
def queue_page(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Looker,
    hamlet_id: Annotated[str, Query(max_length=12)] = "",
    state: Annotated[str, Query()] = WAITING,
    household_class: Annotated[str, Query(alias="class", max_length=16)] = "",
    enumerator: Annotated[str, Query(max_length=12)] = "",
    flag: Annotated[list[str] | None, Query()] = None,
    sort: Annotated[str, Query()] = "hamlet",
    order: Annotated[str, Query()] = "asc",
) -> Response:
    """The review queue of a round."""
    principal = viewer.principal
    round_ = review.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    filters = Filters(
        hamlet_id=_number(hamlet_id),
        state=state if state in {s.value for s in CaseState} else WAITING,
        household_class=household_class if household_class in CLASS_NAMES else None,
        enumerator_id=_number(enumerator),
        flags=frozenset(f for f in flag or [] if f in FLAGS),
        sort=sort if sort in SORTS else "hamlet",
        descending=order == "desc",
    )
    every = review.queue(
        session, principal, round_id, None if filters.state == WAITING else [filters.state], None
    )
    names = _names(session, every)
    shown = [v for v in every if filters.keeps(v) and _in_hamlet(v, filters.hamlet_id)]
    shown.sort(key=_sort_key(filters.sort, names), reverse=filters.descending)
    hamlets = sorted({(v.hamlet.id, v.hamlet.name) for v in every}, key=lambda h: h[0])
    return page(
        request,
        viewer,
        "queue.html",
        {
            "round": round_,
            "nav_rounds": [round_],
            "views": shown,
            "total": len(every),
            "filters": filters,
            "hamlets": hamlets,
            "enumerators": sorted(names.items(), key=lambda item: item[1]),
            "names": names,
            "flags_of": flags_of,
            "states": [WAITING, *(s.value for s in CaseState)],
            "classes": list(CLASS_NAMES),
            "flag_names": FLAGS,
            "query_with": partial(_query_with, request),
            "flag_label": partial(_flag_label, gettext(request)),
        },
    )


def _number(value: str) -> int | None:
    # An empty choice in a filter form means "all"; no record has an id beyond MAX_ID.
    return int(value) if value.isdigit() and int(value) <= MAX_ID else None


def _query_with(request: Request, **changes: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    return urlencode([*params, *changes.items()])


FLAG_NAMES = {
    "outside": N_("Outside the hamlet"),
    "changed": N_("Changed class"),
    "returned": N_("Returned"),
}


def _flag_label(translate: Callable[[str], str], flag: str) -> str:
    return translate(FLAG_NAMES[flag])


def _in_hamlet(view: CaseView, hamlet_id: int | None) -> bool:
    return hamlet_id is None or view.case.hamlet_id == hamlet_id


@router.post("/rounds/{round_id}/accept")
def accept_selected(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    case_id: Annotated[list[int], Form()],
) -> Response:
    """Accept every selected case (each through the service's accept); all or none."""
    principal = viewer.principal
    for chosen in case_id:
        case, _ = review.case_for(session, principal, Permission.READ_REGISTRY, chosen)
        if case.round_id != round_id:
            raise RasoatError(
                ErrorCode.INVALID_REQUEST, problem=f"case {chosen} is not in the round"
            )
        review.accept(session, principal, actor_of(principal), chosen)
    tr = gettext(request)
    return redirect(
        request,
        viewer,
        f"/rounds/{round_id}/queue",
        tr("%(count)d cases accepted") % {"count": len(case_id)},
    )
