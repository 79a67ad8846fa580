"""The round's tracker: survey progress per hamlet and enumerator, meetings, postings with
their working-day deadlines, complaints and their re-checks, the decision and the
certificates; what is late is marked; the papers are downloaded through the same paper
builders as the API's documents."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from server.auth import repository as users
from server.auth.policy import Permission, ScopeKind
from server.auth.service import actor_of
from server.console.i18n import today
from server.console.jobs import panel
from server.console.rendering import ConsoleRoute, page, redirect, translate
from server.console.session import Actor, Looker
from server.db import DbSession
from server.documents import render
from server.geography import service as geography
from server.ids import PathId, QueryId
from server.jobs.vocabulary import JobKind
from server.review import papers
from server.review import repository as rounds
from server.review import service as review
from shared.review.calendar import WorkingCalendar
from shared.review.procedures import ProcedureKind, procedure

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

AFTER_REVIEW = ("accepted", "voted", "posted", "complaint", "rechecked", "recognised", "certified")


@dataclass
class Tally:
    """Cases of a hamlet or an enumerator by where they stand."""

    name: str
    states: Counter[str] = field(default_factory=Counter)

    @property
    def cases(self) -> int:
        return sum(self.states.values())

    @property
    def waiting(self) -> int:
        return sum(self.states[s] for s in ("surveyed", "resurveyed", "under_review"))

    @property
    def decided(self) -> int:
        return sum(self.states[s] for s in AFTER_REVIEW)


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.get("/rounds/{round_id}")
def tracker(round_id: PathId, request: Request, session: DbSession, viewer: Looker) -> Response:
    """Where the round stands, what is due and what is late."""
    principal = viewer.principal
    round_ = review.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    views = review.list_cases(session, principal, round_.id, None, None)
    by_hamlet: dict[int, Tally] = {}
    by_enumerator: dict[int, Tally] = {}
    for view in views:
        hamlet = by_hamlet.setdefault(view.hamlet.id, Tally(view.hamlet.name))
        hamlet.states[view.case.state] += 1
        if view.survey is not None:
            who = view.survey.enumerator_id
            if who not in by_enumerator:
                user = users.user(session, who)
                by_enumerator[who] = Tally(user.full_name if user else str(who))
            by_enumerator[who].states[view.case.state] += 1
    hamlet_names = {h.id: h.name for h in geography.visible_hamlets(session, principal, None)}
    meetings = [
        (m, rounds.votes_of(session, m.id))
        for m in rounds.meetings_of(session, round_.id)
        if m.hamlet_id in hamlet_names
    ]
    postings = [
        p
        for p in rounds.postings_of(session, round_.id)
        if p.hamlet_id is None or p.hamlet_id in hamlet_names
    ]
    posted_cases: dict[int, int] = defaultdict(int)
    for view in views:
        for posting_id in (view.case.posting_id, view.case.office_posting_id):
            if posting_id is not None:
                posted_cases[posting_id] += 1
    complaints = [(view, c) for view in views for c in view.complaints]
    states = Counter(view.case.state for view in views)
    now = today()
    rules = procedure(ProcedureKind(round_.procedure))
    return page(
        request,
        viewer,
        "tracker.html",
        {
            "round": round_,
            "signoff": review.standing_signoff(session, round_.id),
            "nav_rounds": [round_],
            "rules": rules,
            "hamlets": sorted(by_hamlet.items()),
            "enumerators": sorted(by_enumerator.values(), key=lambda t: t.name),
            "hamlet_names": hamlet_names,
            "meetings": meetings,
            "postings": postings,
            "posted_cases": posted_cases,
            "complaints": complaints,
            "states": states,
            "today": now,
            "decision_overdue": round_.status == "open"
            and round_.decision_due_on is not None
            and now > round_.decision_due_on,
            "certified": [v for v in views if v.case.certificate_number],
            "can_manage": principal.can(Permission.MANAGE_REVIEW),
            "can_recognise": principal.can(Permission.RECOGNISE_LISTS),
            "whole_round_papers": principal.scope.kind is not ScopeKind.HAMLETS,
            "panel": panel(request, session, viewer, JobKind.PAPER_BATCH, round_.commune_id),
        },
    )


@router.post("/rounds/{round_id}/collect")
def collect(round_id: PathId, request: Request, session: DbSession, viewer: Actor) -> Response:
    """Attach the newest survey to every listed or returned case that has one."""
    principal = viewer.principal
    moved = review.collect(session, principal, actor_of(principal), round_id)
    message = translate(request, "%(count)d surveys collected") % {"count": len(moved)}
    return redirect(request, viewer, f"/rounds/{round_id}", message)


@router.post("/rounds/{round_id}/postings")
def post(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    starts_on: Annotated[date, Form()],
    place: Annotated[str, Form()],
) -> Response:
    """Post a hamlet's cases at its cultural house (``place`` is the hamlet's id), or every
    case posted at its hamlet at the commune office (``place`` = ``commune_office``)."""
    principal = viewer.principal
    if place == "commune_office":
        posting, cases = review.post_at_commune_office(
            session, principal, actor_of(principal), round_id, starts_on, WorkingCalendar()
        )
    else:
        posting, cases = review.post(
            session,
            principal,
            actor_of(principal),
            round_id,
            int(place) if place.isdigit() else -1,
            starts_on,
            WorkingCalendar(),
        )
    message = translate(request, "%(count)d cases posted until %(day)s") % {
        "count": len(cases),
        "day": posting.ends_on.strftime("%d/%m/%Y"),
    }
    return redirect(request, viewer, f"/rounds/{round_id}", message)


@router.post("/rounds/{round_id}/recognition")
def recognise(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    decision_number: Annotated[str, Form(min_length=1, max_length=40)],
    decision_date: Annotated[date, Form()],
    late_reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The chair's decision recognising the lists (Form 02)."""
    principal = viewer.principal
    review.recognise(
        session,
        principal,
        actor_of(principal),
        round_id,
        decision_number,
        decision_date,
        today(),
        late_reason or None,
    )
    return redirect(request, viewer, f"/rounds/{round_id}", translate(request, "Lists recognised"))


@router.post("/rounds/{round_id}/certificates")
def certify(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    issued_on: Annotated[date, Form()],
    late_reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Issue (or stamp) the certificates of the recognised poor and near-poor households."""
    principal = viewer.principal
    issued = review.certify(
        session, principal, actor_of(principal), round_id, issued_on, late_reason or None
    )
    message = translate(request, "%(count)d certificates issued") % {"count": len(issued)}
    return redirect(request, viewer, f"/rounds/{round_id}", message)


@router.get("/rounds/{round_id}/papers/posting")
def posting_paper(
    round_id: PathId,
    session: DbSession,
    viewer: Looker,
    hamlet_id: QueryId = None,
    posting_id: QueryId = None,
) -> Response:
    """The list posted at a hamlet, at the commune office, or of one posting."""
    paper = papers.posting_list(session, viewer.principal, round_id, hamlet_id, posting_id)
    where = f"p{posting_id}" if posting_id else (hamlet_id or "xa")
    return _pdf(render.posting_list(paper), f"niem-yet-{round_id}-{where}")


@router.get("/rounds/{round_id}/papers/decision")
def decision_paper(round_id: PathId, session: DbSession, viewer: Looker) -> Response:
    """Form 02, the decision."""
    return _pdf(render.decision(papers.decision(session, viewer.principal, round_id)), "quyet-dinh")


@router.get("/rounds/{round_id}/papers/certificates")
def certificates_paper(
    round_id: PathId,
    session: DbSession,
    viewer: Looker,
    case_id: QueryId = None,
) -> Response:
    """Form 03, the certificates of the round or of one case."""
    paper = papers.certificates(session, viewer.principal, round_id, case_id)
    return _pdf(render.certificates(paper), f"giay-chung-nhan-{round_id}")


@router.get("/meetings/{meeting_id}/minutes")
def minutes_paper(meeting_id: PathId, session: DbSession, viewer: Looker) -> Response:
    """A hamlet meeting's minutes (two copies)."""
    paper = papers.minutes(session, viewer.principal, meeting_id)
    return _pdf(render.minutes(paper), f"bien-ban-hop-dan-{meeting_id}")
