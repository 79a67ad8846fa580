"""HTTP endpoints of the review round (docs/review.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from server.auth.dependencies import Reader, SignedIn
from server.auth.policy import Permission
from server.auth.service import actor_of
from server.clock import Today
from server.db import DbSession
from server.documents import render
from server.errors import language
from server.ids import PathId, QueryId
from server.review import papers, service
from server.review.models import Case, Meeting, Round
from server.review.schemas import (
    ApplicantIn,
    CaseDetail,
    CaseOut,
    CertificatesIn,
    ComplaintIn,
    ComplaintOut,
    HandIn,
    IncomeIn,
    MeetingIn,
    MeetingOut,
    OverrideIn,
    PostingIn,
    PostingOut,
    RecheckIn,
    RecognitionIn,
    ReturnIn,
    RoundIn,
    RoundOut,
    ScoreB1In,
    SurveyRef,
    TransitionOut,
    VotesIn,
    WithdrawIn,
)
from server.working_days import working_calendar
from shared.review.states import CaseState

router = APIRouter(prefix="/review", tags=["review"])

States = Annotated[list[CaseState] | None, Query(description="Filter by state")]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The paper as PDF"}
}


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


def _round(session: DbSession, round_: Round, today: date) -> RoundOut:
    return RoundOut.from_view(service.round_view(session, round_, today))


def _case(view: service.CaseView, request: Request) -> CaseOut:
    return CaseOut.from_view(view, language(request))


def _meeting(session: DbSession, meeting: Meeting) -> MeetingOut:
    return MeetingOut.from_view(service.meeting_view(session, meeting))


# ----------------------------------------------------------------------------- rounds


@router.get("/rounds", response_model=list[RoundOut])
def rounds(principal: Reader, session: DbSession, today: Today) -> list[RoundOut]:
    """Rounds of the communes in your scope, newest first."""
    return [_round(session, r, today) for r in service.rounds(session, principal)]


@router.post("/rounds", response_model=RoundOut, status_code=201)
def open_round(body: RoundIn, principal: SignedIn, session: DbSession, today: Today) -> RoundOut:
    """Open a round in a commune (commune officer). An annual round lists every household on
    last year's poor and near-poor lists; applicants are added with ``/cases``."""
    created = service.open_round(
        session,
        principal,
        actor_of(principal),
        body.commune_id,
        body.procedure,
        body.year,
        body.starts_on,
        body.ends_on,
        body.month,
        working_calendar(),
        body.list_year,
        body.income_method,
        body.score_table,
    )
    return _round(session, created, today)


@router.get("/rounds/{round_id}", response_model=RoundOut)
def round_(round_id: PathId, principal: Reader, session: DbSession, today: Today) -> RoundOut:
    """One round with how many cases are in each state."""
    found = service.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    return _round(session, found, today)


@router.post("/rounds/{round_id}/cases", response_model=CaseOut, status_code=201)
def add_applicant(
    round_id: PathId, body: ApplicantIn, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """List a household that applied (Form 01 or Form 04)."""
    case = service.add_applicant(
        session, principal, actor_of(principal), round_id, body.household_id, body.application
    )
    return _case(service.views(session, [case])[0], request)


@router.post("/rounds/{round_id}/collect", response_model=list[CaseOut])
def collect(
    round_id: PathId, principal: SignedIn, session: DbSession, request: Request
) -> list[CaseOut]:
    """Attach the newest survey of the round's year to every listed or returned case that has
    one; returns the cases that moved to surveyed or re-surveyed."""
    moved = service.collect(session, principal, actor_of(principal), round_id)
    return [_case(v, request) for v in service.views(session, moved)]


@router.get("/rounds/{round_id}/queue", response_model=list[CaseOut])
def queue(
    round_id: PathId,
    principal: Reader,
    session: DbSession,
    request: Request,
    state: States = None,
    hamlet_id: QueryId = None,
) -> list[CaseOut]:
    """The review queue: surveyed, re-surveyed and under-review cases (or those in
    ``state``) with class, deprivations and reasons, photos, geofence flag and the change
    from last year."""
    found = service.queue(session, principal, round_id, state, hamlet_id)
    return [_case(v, request) for v in found]


@router.post("/rounds/{round_id}/meetings", response_model=MeetingOut, status_code=201)
def record_meeting(
    round_id: PathId, body: MeetingIn, principal: SignedIn, session: DbSession
) -> MeetingOut:
    """Record a hamlet meeting with its attendance (hamlet head or commune officer)."""
    meeting = service.record_meeting(
        session,
        principal,
        actor_of(principal),
        round_id,
        body.hamlet_id,
        service.Attendance(
            body.held_on,
            body.chair_name,
            body.secretary_name,
            body.front_supervisor,
            body.households_represented,
            body.others_present,
        ),
    )
    return _meeting(session, meeting)


@router.post("/rounds/{round_id}/postings", response_model=PostingOut, status_code=201)
def post(round_id: PathId, body: PostingIn, principal: SignedIn, session: DbSession) -> PostingOut:
    """Post a hamlet's results at its cultural house, or (``place: commune_office``) every
    case already posted at its hamlet at the commune office; the posting ends after the
    procedure's working days, weekends and public holidays not counted."""
    if body.hamlet_id is not None:
        posting, cases = service.post(
            session,
            principal,
            actor_of(principal),
            round_id,
            body.hamlet_id,
            body.starts_on,
            working_calendar(),
        )
    else:
        posting, cases = service.post_at_commune_office(
            session, principal, actor_of(principal), round_id, body.starts_on, working_calendar()
        )
    return PostingOut.from_row(posting, [c.id for c in cases])


@router.post("/rounds/{round_id}/recognition", response_model=RoundOut)
def recognise(
    round_id: PathId, body: RecognitionIn, principal: SignedIn, session: DbSession, today: Today
) -> RoundOut:
    """The commune chair's decision (Form 02): once every posting (hamlet and commune
    office) has ended, the posted and re-checked cases are recognised and their classes
    become the year's official classes. Past a monthly round's deadline it needs
    ``late_reason`` (``decision_overdue``)."""
    service.recognise(
        session,
        principal,
        actor_of(principal),
        round_id,
        body.decision_number,
        body.decision_date,
        today,
        body.late_reason,
    )
    found = service.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    return _round(session, found, today)


@router.post("/rounds/{round_id}/certificates", response_model=list[CaseOut])
def certify(
    round_id: PathId,
    body: CertificatesIn,
    principal: SignedIn,
    session: DbSession,
    request: Request,
) -> list[CaseOut]:
    """Issue (or stamp for the year) the certificate of every recognised poor and near-poor
    household (Form 03)."""
    issued = service.certify(
        session, principal, actor_of(principal), round_id, body.issued_on, body.late_reason
    )
    return [_case(v, request) for v in service.views(session, issued)]


@router.get("/rounds/{round_id}/documents/posting", responses=PDF, response_class=Response)
def posting_document(
    round_id: PathId,
    principal: Reader,
    session: DbSession,
    hamlet_id: QueryId = None,
    posting_id: QueryId = None,
) -> Response:
    """The list posted at a hamlet, or at the commune office (every hamlet's cases it posted)
    without ``hamlet_id``, or one posting by ``posting_id``; with the re-check outcomes."""
    paper = papers.posting_list(session, principal, round_id, hamlet_id, posting_id)
    where = f"p{posting_id}" if posting_id else (hamlet_id or "xa")
    return _pdf(render.posting_list(paper), f"niem-yet-{round_id}-{where}")


@router.get("/rounds/{round_id}/documents/decision", responses=PDF, response_class=Response)
def decision_document(round_id: PathId, principal: Reader, session: DbSession) -> Response:
    """Form 02: the decision recognising the lists."""
    return _pdf(render.decision(papers.decision(session, principal, round_id)), "quyet-dinh")


@router.get("/rounds/{round_id}/documents/certificates", responses=PDF, response_class=Response)
def certificates_document(
    round_id: PathId, principal: Reader, session: DbSession, case_id: QueryId = None
) -> Response:
    """Form 03: the certificates of the round (or of one case)."""
    paper = papers.certificates(session, principal, round_id, case_id)
    return _pdf(render.certificates(paper), f"giay-chung-nhan-{round_id}")


@router.get("/cases/{case_id}/documents/application", responses=PDF, response_class=Response)
def application_document(case_id: PathId, principal: Reader, session: DbSession) -> Response:
    """Form 01 or Form 04: the application of a household that applied, filled from the
    registry for the household to check and sign."""
    paper = papers.application(session, principal, case_id)
    return _pdf(render.application(paper), f"giay-de-nghi-{case_id}")


# ----------------------------------------------------------------------------- cases


@router.get("/cases", response_model=list[CaseOut])
def cases(
    principal: Reader,
    session: DbSession,
    request: Request,
    round_id: QueryId = None,
    state: States = None,
    hamlet_id: QueryId = None,
) -> list[CaseOut]:
    """Cases in your scope: ``state=returned`` gives an enumerator's returned cases with the
    comments, ``state=accepted`` a hamlet head's cases to vote on."""
    found = service.list_cases(session, principal, round_id, state, hamlet_id)
    return [_case(v, request) for v in found]


@router.get("/cases/{case_id}", response_model=CaseDetail)
def case(case_id: PathId, principal: Reader, session: DbSession, request: Request) -> CaseDetail:
    """One case with its transitions and every survey of the household (history kept)."""
    view, transitions, surveys = service.case_view(session, principal, case_id)
    return CaseDetail(
        **_case(view, request).model_dump(),
        transitions=[
            TransitionOut(
                from_state=t.from_state,
                to_state=t.to_state,
                action=t.action,
                actor_id=t.actor_id,
                at=t.at,
                detail=t.detail,
            )
            for t in transitions
        ],
        surveys=[
            SurveyRef(
                survey_id=s.id,
                received_at=s.received_at,
                household_class=s.household_class,
                current=s.id == view.case.survey_id,
            )
            for s in surveys
        ],
    )


def _one(session: DbSession, case: Case, request: Request) -> CaseOut:
    return _case(service.views(session, [case])[0], request)


@router.post("/cases/{case_id}/survey", response_model=CaseOut)
def hand_in_survey(
    case_id: PathId, body: HandIn, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Hand in the survey of a listed or returned case (enumerator)."""
    found = service.attach_survey(session, principal, actor_of(principal), case_id, body.survey_id)
    return _one(session, found, request)


@router.post("/cases/{case_id}/income", response_model=CaseOut)
def record_income(
    case_id: PathId, body: IncomeIn, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Average-living-standard and low-income-worker rounds: the 12-month income without
    social allowances, and its test against the standard's thresholds."""
    found = service.record_income(
        session,
        principal,
        actor_of(principal),
        case_id,
        body.income_12_months_vnd,
        body.allowances_vnd,
        body.members,
        body.applying_members,
    )
    return _one(session, found, request)


@router.post("/cases/{case_id}/score", response_model=CaseOut)
def record_b1(
    case_id: PathId, body: ScoreB1In, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Rounds by score: the case's Phiếu B1 (enumerator or commune officer); once the case
    has its survey the household is classified by score, its points per item in ``score``."""
    found = service.record_b1(
        session,
        principal,
        actor_of(principal),
        case_id,
        body.form_id,
        body.form_version,
        body.answers,
    )
    return _one(session, found, request)


@router.post("/cases/{case_id}/start-review", response_model=CaseOut)
def start_review(
    case_id: PathId, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Take a surveyed case into review."""
    return _one(
        session, service.start_review(session, principal, actor_of(principal), case_id), request
    )


@router.post("/cases/{case_id}/accept", response_model=CaseOut)
def accept(case_id: PathId, principal: SignedIn, session: DbSession, request: Request) -> CaseOut:
    """Approve the case's class."""
    return _one(session, service.accept(session, principal, actor_of(principal), case_id), request)


@router.post("/cases/{case_id}/return", response_model=CaseOut)
def return_case(
    case_id: PathId, body: ReturnIn, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Return the case to the enumerator with comments on specific questions; they reach the
    tablet on its next pull."""
    found = service.return_case(
        session,
        principal,
        actor_of(principal),
        case_id,
        [service.CommentIn(c.question, c.text) for c in body.comments],
    )
    return _one(session, found, request)


@router.post("/cases/{case_id}/override", response_model=CaseOut)
def override(
    case_id: PathId, body: OverrideIn, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Set a class other than the engine's, with a written reason (flagged everywhere)."""
    found = service.override(
        session, principal, actor_of(principal), case_id, body.household_class, body.reason
    )
    return _one(session, found, request)


@router.post("/cases/{case_id}/withdraw", response_model=CaseOut)
def withdraw(
    case_id: PathId, body: WithdrawIn, principal: SignedIn, session: DbSession, request: Request
) -> CaseOut:
    """Take the case out of the round, with a reason."""
    found = service.withdraw(session, principal, actor_of(principal), case_id, body.reason)
    return _one(session, found, request)


@router.post("/cases/{case_id}/complaints", response_model=ComplaintOut, status_code=201)
def complain(
    case_id: PathId, body: ComplaintIn, principal: SignedIn, session: DbSession
) -> ComplaintOut:
    """Record a complaint raised during posting; the re-check is due within the procedure's
    working days."""
    row = service.complain(
        session,
        principal,
        actor_of(principal),
        case_id,
        body.raised_on,
        body.complainant,
        body.reason,
        working_calendar(),
    )
    return ComplaintOut.model_validate(row)


@router.post("/complaints/{complaint_id}/recheck", response_model=ComplaintOut)
def recheck(
    complaint_id: PathId, body: RecheckIn, principal: SignedIn, session: DbSession
) -> ComplaintOut:
    """Record the re-check's outcome (posted with the commune's list)."""
    row = service.recheck(
        session,
        principal,
        actor_of(principal),
        complaint_id,
        body.outcome_class,
        body.note,
        body.rechecked_on,
    )
    return ComplaintOut.model_validate(row)


# ----------------------------------------------------------------------------- meetings


@router.get("/meetings/{meeting_id}", response_model=MeetingOut)
def meeting(meeting_id: PathId, principal: Reader, session: DbSession) -> MeetingOut:
    """A hamlet meeting with its attendance and votes."""
    found = service.meeting_for(session, principal, Permission.READ_REGISTRY, meeting_id)
    return _meeting(session, found)


@router.post("/meetings/{meeting_id}/votes", response_model=MeetingOut)
def vote(meeting_id: PathId, body: VotesIn, principal: SignedIn, session: DbSession) -> MeetingOut:
    """Record the vote on each case of the hamlet: the result stands when at least half the
    attendees agree, otherwise the case goes back to review."""
    service.vote(
        session,
        principal,
        actor_of(principal),
        meeting_id,
        [(v.case_id, v.agree) for v in body.votes],
    )
    found = service.meeting_for(session, principal, Permission.READ_REGISTRY, meeting_id)
    return _meeting(session, found)


@router.put("/meetings/{meeting_id}/minutes-photo", response_model=MeetingOut)
async def minutes_photo(
    meeting_id: PathId, principal: SignedIn, session: DbSession, request: Request
) -> MeetingOut:
    """The photo of the signed minutes, sent as the JPEG body."""
    found = service.attach_minutes_photo(
        session,
        principal,
        actor_of(principal),
        meeting_id,
        await request.body(),
        request.app.state.settings.data_dir / "minutes",
    )
    return _meeting(session, found)


@router.get("/meetings/{meeting_id}/minutes", responses=PDF, response_class=Response)
def minutes_document(meeting_id: PathId, principal: Reader, session: DbSession) -> Response:
    """The meeting's minutes in two copies (hamlet, commune)."""
    paper = papers.minutes(session, principal, meeting_id)
    return _pdf(render.minutes(paper), f"bien-ban-hop-dan-{meeting_id}")
