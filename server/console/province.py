"""The province: its communes' roll-up (households, poor, near-poor, the newest round's
progress) with a link down to each commune's home page, and the sign-off that locks a commune
round's figures until the province reopens it (``server.review.service.sign_off``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from server.auth.policy import Permission
from server.auth.service import actor_of
from server.console.i18n import today
from server.console.rendering import ConsoleRoute, page, redirect, translate
from server.console.session import Actor, Looker
from server.db import DbSession, utcnow
from server.geography import service as geography
from server.households.repository import latest_year
from server.ids import PathId
from server.reports import service as reports
from server.reports.compute import ClassCounts
from server.review import repository as review_repository
from server.review import service as review
from server.review.models import Round, SignOff
from shared.errors import ErrorCode, RasoatError
from shared.review.states import CaseState as S

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# The states a case reaches once the commune has accepted it.
_ACCEPTED = (S.ACCEPTED, S.VOTED, S.POSTED, S.COMPLAINT, S.RECHECKED, S.RECOGNISED, S.CERTIFIED)


@dataclass
class CommuneLine:
    """A commune's line of the roll-up."""

    id: int
    name: str
    counts: ClassCounts | None
    round: Round | None
    signoff: SignOff | None
    cases: int
    surveyed: int
    accepted: int

    @property
    def progress(self) -> int:
        return round(100 * self.surveyed / self.cases) if self.cases else 0


@router.get("/province")
def province(
    request: Request,
    session: DbSession,
    viewer: Looker,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The province's communes with their figures and their newest round's progress."""
    principal = viewer.principal
    province_id = principal.scope.province_id
    if province_id is None:
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    shown_year = year or latest_year(session) or today().year
    rollup = reports.rollup(session, principal, province_id, shown_year)
    counts = {row.code: row.counts for row in rollup.communes}
    newest: dict[int, Round] = {}
    for each in review.rounds(session, principal):
        newest.setdefault(each.commune_id, each)
    signoffs = review.standing_signoffs(session, [r.id for r in newest.values()])
    lines = []
    for commune in geography.visible_communes(session, principal):
        round_ = newest.get(commune.id)
        cases = review_repository.cases_of_round(session, round_.id) if round_ else []
        states = Counter(case.state for case in cases)
        lines.append(
            CommuneLine(
                commune.id,
                commune.name,
                counts.get(commune.code),
                round_,
                signoffs.get(round_.id) if round_ else None,
                len(cases),
                sum(case.survey_id is not None for case in cases),
                sum(states[state] for state in _ACCEPTED),
            )
        )
    return page(
        request,
        viewer,
        "province.html",
        {
            "rollup": rollup,
            "communes": lines,
            "year": shown_year,
            "can_sign": principal.can(Permission.SIGN_OFF_ROUNDS),
        },
    )


@router.post("/rounds/{round_id}/signoff")
def sign_off(round_id: PathId, request: Request, session: DbSession, viewer: Actor) -> Response:
    """Lock the round's figures."""
    principal = viewer.principal
    review.sign_off(session, principal, actor_of(principal), round_id, utcnow())
    return redirect(request, viewer, "/province", translate(request, "Figures signed off"))


@router.post("/rounds/{round_id}/reopen")
def reopen(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Let the round's figures change again."""
    principal = viewer.principal
    review.reopen(session, principal, actor_of(principal), round_id, reason, utcnow())
    return redirect(request, viewer, "/province", translate(request, "Round reopened"))
