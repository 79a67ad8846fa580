"""The home page: the hamlets in the viewer's scope with their registry counts and the
progress of the current round; a commune officer opens the round here."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from sqlalchemy.orm import Session

from server.auth.policy import Permission, ScopeKind
from server.auth.service import actor_of
from server.console.i18n import today
from server.console.rendering import ConsoleRoute, gettext, page, redirect
from server.console.session import Actor, Looker, Viewer
from server.db import DbSession
from server.geography import service as geography
from server.households.repository import latest_year
from server.reports import service as reports
from server.reports.compute import HamletRow
from server.review import service as review
from server.review.models import Round
from shared.review.calendar import WorkingCalendar
from shared.review.procedures import ProcedureKind

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@dataclass
class HamletLine:
    """A hamlet's line on the home page."""

    id: int
    name: str
    registry: HamletRow | None = None
    cases: int = 0
    surveyed: int = 0
    states: Counter[str] = field(default_factory=Counter)

    @property
    def progress(self) -> int:
        return round(100 * self.surveyed / self.cases) if self.cases else 0


def current_round(session: Session, viewer: Viewer, commune_id: int | None = None) -> Round | None:
    """Return the viewer's newest open round, else their newest round, else None (of
    ``commune_id`` only, when given)."""
    found = [
        r
        for r in review.rounds(session, viewer.principal)
        if commune_id is None or r.commune_id == commune_id
    ]
    return next((r for r in found if r.status == "open"), found[0] if found else None)


@router.get("/home")
def home(
    request: Request,
    session: DbSession,
    viewer: Looker,
    commune_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Each hamlet of the scope (of one commune of it, when the province drills down) with
    its households, poor and near-poor, and how far the round's survey has come."""
    principal = viewer.principal
    if commune_id is not None:
        geography.visible_commune(session, principal, commune_id)
    round_ = current_round(session, viewer, commune_id)
    lines = {
        h.id: HamletLine(h.id, h.name)
        for h in geography.visible_hamlets(session, principal, commune_id)
    }
    if round_ is not None:
        for view in review.list_cases(session, principal, round_.id, None, None):
            line = lines.get(view.case.hamlet_id)
            if line is None:
                continue
            line.cases += 1
            line.surveyed += view.case.survey_id is not None
            line.states[view.case.state] += 1
    year = round_.year if round_ is not None else latest_year(session)
    communes = [
        c
        for c in geography.visible_communes(session, principal)
        if commune_id is None or c.id == commune_id
    ]
    registry_year = None
    if principal.can(Permission.READ_REPORTS) and year is not None:
        by_name: dict[str, list[HamletLine]] = defaultdict(list)
        for line in lines.values():
            by_name[line.name].append(line)
        registry_year = year
        for commune in communes:
            for row in reports.hamlet_table(session, principal, commune.id, year).rows:
                for line in by_name.get(row.name, []):
                    line.registry = row
    can_open = (
        principal.can(Permission.MANAGE_REVIEW)
        and principal.scope.kind is ScopeKind.COMMUNE
        and (round_ is None or round_.status != "open")
    )
    return page(
        request,
        viewer,
        "home.html",
        {
            "communes": communes,
            "hamlets": sorted(lines.values(), key=lambda line: line.id),
            "round": round_,
            "nav_rounds": [round_] if round_ else [],
            "registry_year": registry_year,
            "can_open": can_open,
            "this_year": today().year,
            "procedures": list(ProcedureKind),
        },
    )


@router.post("/rounds")
def open_round(
    request: Request,
    session: DbSession,
    viewer: Actor,
    year: Annotated[int, Form(ge=2000, le=2100)],
    procedure: Annotated[ProcedureKind, Form()] = ProcedureKind.ANNUAL,
) -> Response:
    """Open a round in the officer's commune (the same service as POST /review/rounds)."""
    principal = viewer.principal
    commune_id = principal.scope.commune_id
    created = review.open_round(
        session,
        principal,
        actor_of(principal),
        commune_id if commune_id is not None else -1,
        procedure,
        year,
        None,
        None,
        None,
        WorkingCalendar(),
    )
    tr = gettext(request)
    return redirect(request, viewer, f"/rounds/{created.id}", tr("Round opened"))
