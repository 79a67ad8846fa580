"""Rules of the review round: who may act on a case, which transition an action makes, and
what each step records. Never commits; every transition is a ``review_transitions`` row, an
audit entry, and a change devices pull."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy.orm import Session

from server.audit.service import Actor, canonical, record
from server.auth.policy import Permission, Place, Principal, require, require_place
from server.db import utcnow
from server.geography import repository as geography
from server.geography.models import Commune, Hamlet
from server.households.models import Classification, Household
from server.households.service import stand_for_year
from server.review import repository
from server.review.models import (
    Case,
    Comment,
    Complaint,
    Meeting,
    Posting,
    Round,
    Transition,
    Vote,
)
from server.surveys.models import Submission
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.household import Area
from shared.review.calendar import WorkingCalendar
from shared.review.procedures import PostingPlace, ProcedureKind, procedure
from shared.review.rules import (
    MIN_REASON_LENGTH,
    average_living_test,
    low_income_worker_test,
    monthly_income_per_capita,
    question_ids,
    vote_passes,
)
from shared.review.states import Action, CaseState, advance
from shared.standard import Standard
from shared.standards import load_catalog
from shared.vocabulary import CLASSES, ON_LISTS
from shared.year_change import change_from_last_year

S = CaseState
_DECIDABLE = {S.POSTED, S.RECHECKED, S.WITHDRAWN}


def standard_of(round_: Round) -> Standard:
    """Return the standard of the list the round makes."""
    return load_catalog().for_list_year(round_.list_year)


def standard_for_survey(
    session: Session, household_id: int, reference_year: int
) -> Standard | None:
    """Return the standard a survey of the household is classified under: that of the list
    made by the newest open round of the survey's year in which the household has a case (a
    late-2026 review surveys for the 2027 list); None outside any round."""
    round_ = repository.open_round_of_household(session, household_id, reference_year)
    return None if round_ is None else standard_of(round_)


def _meeting(round_: Round) -> bool:
    return procedure(ProcedureKind(round_.procedure)).meeting


def _commune_place(session: Session, commune_id: int) -> tuple[Commune, Place]:
    commune = geography.commune(session, commune_id)
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {commune_id}")
    return commune, geography.place_of_commune(commune)


def round_for(
    session: Session, principal: Principal, permission: Permission, round_id: int
) -> Round:
    """Return the round when the principal may use ``permission`` in its commune."""
    round_ = repository.round_(session, round_id)
    if round_ is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"round {round_id}")
    _, place = _commune_place(session, round_.commune_id)
    require(principal, permission)
    if not (principal.scope.covers(place) or _covers_a_hamlet(session, principal, round_)):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    return round_


def _covers_a_hamlet(session: Session, principal: Principal, round_: Round) -> bool:
    return any(
        principal.scope.covers(geography.place_of(h))
        for h in repository.hamlets_of_commune(session, round_.commune_id)
    )


def _hamlet_place(session: Session, hamlet_id: int) -> Hamlet:
    hamlet = geography.hamlet(session, hamlet_id)
    if hamlet is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {hamlet_id}")
    return hamlet


def case_for(
    session: Session, principal: Principal, permission: Permission, case_id: int
) -> tuple[Case, Round]:
    """Return the case and its round when the principal may use ``permission`` in the case's
    hamlet; the case row is locked for the rest of the transaction."""
    case = repository.case(session, case_id, lock=permission is not Permission.READ_REGISTRY)
    if case is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"case {case_id}")
    require_place(principal, permission, geography.place_of(_hamlet_place(session, case.hamlet_id)))
    round_ = repository.round_(session, case.round_id)
    assert round_ is not None
    return case, round_


def _open(round_: Round) -> None:
    if round_.status != "open":
        raise RasoatError(ErrorCode.CONFLICT, problem=f"round {round_.id} is {round_.status}")


def _move(
    session: Session,
    actor: Actor,
    case: Case,
    round_: Round,
    action: Action,
    **detail: Any,
) -> Transition:
    """Apply ``action`` to the case: the new state, its transition row, its audit entry."""
    before = CaseState(case.state)
    after = advance(before, action, _meeting(round_), case.id)
    detail = orjson.loads(canonical(detail) or "{}")
    case.state = after.value
    case.updated_at = utcnow()
    row = Transition(
        case_id=case.id,
        from_state=before.value,
        to_state=after.value,
        action=action.value,
        actor_id=actor.user_id,
        detail=detail,
    )
    repository.add(session, row)
    record(
        session,
        actor,
        f"review_{action.value}",
        "review_case",
        case.id,
        before={"state": before.value},
        after={"state": after.value, **detail},
    )
    return row


# ----------------------------------------------------------------------------- rounds


def open_round(
    session: Session,
    principal: Principal,
    actor: Actor,
    commune_id: int,
    kind: ProcedureKind,
    year: int,
    starts_on: date | None,
    ends_on: date | None,
    month: int | None,
    calendar: WorkingCalendar,
    list_year: int | None = None,
) -> Round:
    """Open a round in the commune; an annual round lists every household on last year's
    poor and near-poor lists (applicants are added one by one). A procedure with a decision
    deadline (monthly) keeps its last day, which is also the round's default end. The round
    makes the list of ``list_year`` (by default the procedure's: the next year for the annual
    review) and classifies under that year's standard."""
    _, place = _commune_place(session, commune_id)
    require_place(principal, Permission.MANAGE_REVIEW, place)
    rules = procedure(kind)
    makes = rules.list_year(year) if list_year is None else list_year
    if makes not in (year, year + 1):
        raise RasoatError(
            ErrorCode.INVALID_REQUEST,
            problem=f"a round of {year} makes the list of {year} or {year + 1}, not {makes}",
        )
    load_catalog().for_list_year(makes)
    default_start, default_end = rules.default_period(year, month or 9)
    first = starts_on or default_start
    due = (
        calendar.days_after(first, rules.decision_within_days)
        if rules.decision_within_days is not None
        else None
    )
    last = ends_on or due or default_end
    if last < first:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the round ends before it starts")
    round_ = Round(
        commune_id=commune_id,
        procedure=kind.value,
        year=year,
        list_year=makes,
        starts_on=first,
        ends_on=last,
        posting_working_days=rules.posting_working_days,
        recheck_working_days=rules.recheck_working_days,
        decision_due_on=due,
        created_by=actor.user_id,
    )
    repository.add(session, round_)
    listed = repository.on_lists_before(session, commune_id, year) if kind == "annual" else []
    cases = [
        Case(
            round_id=round_.id,
            household_id=household_id,
            hamlet_id=hamlet_id,
            state=S.LISTED.value,
            listed_because=household_class,
            previous_class=household_class,
        )
        for household_id, hamlet_id, household_class in listed
    ]
    repository.add_all(session, cases)
    record(
        session,
        actor,
        "open_round",
        "review_round",
        round_.id,
        after={
            "commune_id": commune_id,
            "procedure": kind.value,
            "year": year,
            "starts_on": first,
            "ends_on": last,
            "decision_due_on": due,
            "listed": len(cases),
        },
    )
    repository.announce(session, cases)
    return round_


def rounds(session: Session, principal: Principal) -> list[Round]:
    require(principal, Permission.READ_REGISTRY)
    return repository.rounds_in(session, principal.scope)


def add_applicant(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    household_id: int,
    application: str,
) -> Case:
    """List a household that applied (Form 01 to enter or be identified, Form 04 to exit)."""
    round_ = round_for(session, principal, Permission.MANAGE_REVIEW, round_id)
    _open(round_)
    household = repository.households_by_id(session, [household_id]).get(household_id)
    if household is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"household {household_id}")
    hamlet = _hamlet_place(session, household.hamlet_id)
    if hamlet.commune_id != round_.commune_id:
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    if repository.case_of_household(session, round_.id, household.id) is not None:
        raise RasoatError(
            ErrorCode.CONFLICT, problem=f"household {household.code} is listed already"
        )
    earlier = repository.classes_before(session, [household.id], round_.year).get(household.id)
    case = Case(
        round_id=round_.id,
        household_id=household.id,
        hamlet_id=household.hamlet_id,
        state=S.LISTED.value,
        listed_because="applicant",
        application=application,
        previous_class=earlier[-1] if earlier else None,
    )
    repository.add(session, case)
    record(
        session,
        actor,
        "review_list",
        "review_case",
        case.id,
        after={"round_id": round_.id, "household_id": household.id, "application": application},
    )
    repository.announce(session, [case])
    return case


# ----------------------------------------------------------------------------- surveys


def _survey_year(submission: Submission) -> int:
    return int(str(submission.household_document.get("reference_date", "0000"))[:4])


def _attach(
    session: Session, actor: Actor, case: Case, round_: Round, submission: Submission
) -> None:
    classification = repository.classification_of(session, submission.id)
    assert classification is not None
    earlier = repository.classes_before(session, [case.household_id], round_.year)
    previous = case.submission_id
    case.submission_id = submission.id
    case.classification_id = classification.id
    case.engine_class = classification.household_class
    case.final_class = classification.household_class
    case.overridden = False
    case.override_reason = None
    case.change = change_from_last_year(earlier.get(case.household_id, []), case.final_class).value
    addressed = [
        c
        for c in repository.comments_of(session, [case.id]).get(case.id, [])
        if c.addressed_by is None
    ]
    for comment in addressed:
        comment.addressed_by = submission.id
    _move(
        session,
        actor,
        case,
        round_,
        Action.SURVEY,
        submission_id=submission.id,
        replaces_submission_id=previous,
        engine_class=case.engine_class,
        comments_addressed=[c.id for c in addressed],
    )


def collect(session: Session, principal: Principal, actor: Actor, round_id: int) -> list[Case]:
    """Attach each listed or returned case's newest survey of the round's year (submitted
    after the one it holds) and return the cases that moved on."""
    round_ = round_for(session, principal, Permission.MANAGE_REVIEW, round_id)
    _open(round_)
    waiting = repository.cases(
        session, principal.scope, round_.id, {S.LISTED.value, S.RETURNED.value}
    )
    found = repository.submissions_after(session, [c.household_id for c in waiting], 0)
    moved = []
    for case in waiting:
        fresh = [
            s
            for s in found.get(case.household_id, [])
            if s.id > (case.submission_id or 0) and _survey_year(s) == round_.year
        ]
        if fresh:
            _attach(session, actor, case, round_, fresh[-1])
            moved.append(case)
    repository.announce(session, moved)
    return moved


def attach_survey(
    session: Session,
    principal: Principal,
    actor: Actor,
    case_id: int,
    submission_id: int | None,
) -> Case:
    """Hand in a survey for a listed or returned case: the one named, or the household's
    newest of the round's year."""
    case, round_ = case_for(session, principal, Permission.SUBMIT_SURVEYS, case_id)
    _open(round_)
    candidates = [
        s
        for s in repository.submissions_of(session, case.household_id)
        if _survey_year(s) == round_.year and s.id > (case.submission_id or 0)
    ]
    if submission_id is not None:
        candidates = [s for s in candidates if s.id == submission_id]
    if not candidates:
        raise RasoatError(
            ErrorCode.NOT_FOUND, what=f"a new survey of {round_.year} for case {case.id}"
        )
    _attach(session, actor, case, round_, candidates[-1])
    repository.announce(session, [case])
    return case


def record_income(
    session: Session,
    principal: Principal,
    actor: Actor,
    case_id: int,
    income_12_months_vnd: int,
    allowances_vnd: int,
    members: int,
    applying_members: list[str],
) -> Case:
    """Record the 12-month income survey of an application-based case and its income test
    against the standard in force at the round's start."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    kind = ProcedureKind(round_.procedure)
    if kind not in (ProcedureKind.AVERAGE_LIVING, ProcedureKind.LOW_INCOME_WORKER):
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"a {kind.value} round classifies by survey"
        )
    hamlet = _hamlet_place(session, case.hamlet_id)
    standard = standard_of(round_)
    if "average_ceiling" not in standard.thresholds:
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"{standard.id} sets no average-living ceiling"
        )
    area: Area = "urban" if hamlet.area == "urban" else "rural"
    line = standard.thresholds[standard.income_line].for_area(area)
    ceiling = standard.thresholds["average_ceiling"].for_area(area)
    per_capita = monthly_income_per_capita(income_12_months_vnd, allowances_vnd, members)
    standing = repository.year_class(session, case.household_id, round_.year)
    household_class = standing.household_class if standing else case.previous_class
    test = (
        average_living_test(per_capita, line, ceiling)
        if kind is ProcedureKind.AVERAGE_LIVING
        else low_income_worker_test(per_capita, line, ceiling, household_class)
    )
    case.income = {
        "income_12_months_vnd": income_12_months_vnd,
        "allowances_vnd": allowances_vnd,
        "members": members,
        "applying_members": applying_members,
        "income_per_capita_vnd": test.income_per_capita_vnd,
        "line_vnd": test.line_vnd,
        "ceiling_vnd": test.ceiling_vnd,
        "eligible": test.eligible,
        "household_class": household_class,
        "standard": standard.id,
    }
    case.engine_class = (
        "average" if kind is ProcedureKind.AVERAGE_LIVING and test.eligible else None
    )
    case.final_class = case.engine_class
    _move(session, actor, case, round_, Action.SURVEY, income=case.income)
    repository.announce(session, [case])
    return case


# ----------------------------------------------------------------------------- review


def _start_review(session: Session, actor: Actor, case: Case, round_: Round) -> None:
    if case.state in (S.SURVEYED, S.RESURVEYED):
        _move(session, actor, case, round_, Action.START_REVIEW)


def start_review(session: Session, principal: Principal, actor: Actor, case_id: int) -> Case:
    """Take a surveyed case into review."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    _move(session, actor, case, round_, Action.START_REVIEW)
    repository.announce(session, [case])
    return case


def accept(session: Session, principal: Principal, actor: Actor, case_id: int) -> Case:
    """Approve the case's class (the engine's, or the override); a surveyed case is taken
    into review first."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    _start_review(session, actor, case, round_)
    kind = ProcedureKind(round_.procedure)
    if kind is ProcedureKind.AVERAGE_LIVING and case.final_class != "average":
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem="the income test does not identify the household"
        )
    if kind is ProcedureKind.LOW_INCOME_WORKER and not (case.income or {}).get("eligible"):
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the income test is not met")
    _move(
        session,
        actor,
        case,
        round_,
        Action.ACCEPT,
        final_class=case.final_class,
        overridden=case.overridden,
    )
    repository.announce(session, [case])
    return case


@dataclass(frozen=True)
class CommentIn:
    question: str
    text: str


def _check_questions(session: Session, case: Case, comments: list[CommentIn]) -> None:
    nodes: set[str] | None = None
    if case.submission_id is not None:
        submission = repository.submission(session, case.submission_id)
        assert submission is not None
        try:
            form = shipped().get(submission.form_id, int(submission.form_version))
            nodes = set(form.nodes)
        except RasoatError:
            nodes = None  # a household document sent as is: its paths are the document's
    for comment in comments:
        ids = question_ids(comment.question)
        if nodes is not None and any(i not in nodes for i in ids):
            raise RasoatError(
                ErrorCode.INVALID_REQUEST,
                problem=f"the survey's form has no question {comment.question}",
            )


def return_case(
    session: Session,
    principal: Principal,
    actor: Actor,
    case_id: int,
    comments: list[CommentIn],
) -> Case:
    """Send the case back to the enumerator with comments on specific questions; they reach
    the tablet with its next pull."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    if not comments:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="say what to correct")
    _check_questions(session, case, comments)
    _start_review(session, actor, case, round_)
    returned = sum(
        1 for t in repository.transitions_of(session, case.id) if t.action == Action.RETURN
    )
    rows = [
        Comment(
            case_id=case.id,
            question=c.question,
            text=c.text,
            return_no=returned + 1,
            submission_id=case.submission_id,
            author_id=actor.user_id,
        )
        for c in comments
    ]
    repository.add_all(session, rows)
    _move(
        session,
        actor,
        case,
        round_,
        Action.RETURN,
        comments=[{"id": c.id, "question": c.question, "text": c.text} for c in rows],
    )
    repository.announce(session, [case])
    return case


def override(
    session: Session,
    principal: Principal,
    actor: Actor,
    case_id: int,
    household_class: str,
    reason: str,
) -> Case:
    """Set a class other than the engine's, with a written reason; the case is flagged as
    overridden in the queue, the reports and the documents."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RasoatError(ErrorCode.REASON_REQUIRED, min_length=MIN_REASON_LENGTH)
    if household_class not in CLASSES:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"no class {household_class}")
    _start_review(session, actor, case, round_)
    if case.state != S.UNDER_REVIEW:
        raise RasoatError(
            ErrorCode.ILLEGAL_TRANSITION,
            case_id=case.id,
            state=case.state,
            action="override",
            allowed=[],
        )
    before = {"final_class": case.final_class, "engine_class": case.engine_class}
    case.final_class = household_class
    case.overridden = household_class != case.engine_class
    case.override_reason = reason.strip() if case.overridden else None
    earlier = repository.classes_before(session, [case.household_id], round_.year)
    case.change = change_from_last_year(earlier.get(case.household_id, []), household_class).value
    session.flush()
    record(
        session,
        actor,
        "review_override",
        "review_case",
        case.id,
        before=before,
        after={"final_class": household_class, "reason": case.override_reason},
    )
    repository.announce(session, [case])
    return case


def withdraw(
    session: Session, principal: Principal, actor: Actor, case_id: int, reason: str
) -> Case:
    """Take a case out of the round (the household moved away, merged, or died out)."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RasoatError(ErrorCode.REASON_REQUIRED, min_length=MIN_REASON_LENGTH)
    _move(session, actor, case, round_, Action.WITHDRAW, reason=reason.strip())
    repository.announce(session, [case])
    return case


# ----------------------------------------------------------------------------- meetings


@dataclass(frozen=True)
class Attendance:
    held_on: date
    chair_name: str
    secretary_name: str
    front_supervisor: str
    households_represented: int
    others_present: int


def record_meeting(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    hamlet_id: int,
    attendance: Attendance,
) -> Meeting:
    """Record a hamlet meeting of the round with its attendance."""
    round_ = repository.round_(session, round_id)
    if round_ is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"round {round_id}")
    hamlet = _hamlet_place(session, hamlet_id)
    require_place(principal, Permission.RECORD_MEETINGS, geography.place_of(hamlet))
    _open(round_)
    if hamlet.commune_id != round_.commune_id:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the hamlet is not in the commune")
    if not _meeting(round_):
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"a {round_.procedure} round has no hamlet meeting"
        )
    if attendance.households_represented + attendance.others_present < 1:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="nobody attended")
    if not round_.starts_on <= attendance.held_on <= round_.ends_on:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the meeting is outside the round")
    meeting = Meeting(
        round_id=round_.id,
        hamlet_id=hamlet.id,
        held_on=attendance.held_on,
        chair_name=attendance.chair_name,
        secretary_name=attendance.secretary_name,
        front_supervisor=attendance.front_supervisor,
        households_represented=attendance.households_represented,
        others_present=attendance.others_present,
        recorded_by=actor.user_id,
    )
    repository.add(session, meeting)
    record(
        session,
        actor,
        "record_meeting",
        "review_meeting",
        meeting.id,
        after={"round_id": round_.id, "hamlet_id": hamlet.id, **attendance.__dict__},
    )
    return meeting


def meeting_for(
    session: Session, principal: Principal, permission: Permission, meeting_id: int
) -> Meeting:
    meeting = repository.meeting(session, meeting_id)
    if meeting is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"meeting {meeting_id}")
    hamlet = _hamlet_place(session, meeting.hamlet_id)
    require_place(principal, permission, geography.place_of(hamlet))
    return meeting


def attendees(meeting: Meeting) -> int:
    """Return how many people attended: household representatives and others present."""
    return meeting.households_represented + meeting.others_present


def vote(
    session: Session,
    principal: Principal,
    actor: Actor,
    meeting_id: int,
    votes: list[tuple[int, int]],
) -> list[Vote]:
    """Record the meeting's vote on each (case id, agreeing attendees): at least half the
    attendees agreeing stands the result, otherwise the case goes back to review."""
    meeting = meeting_for(session, principal, Permission.RECORD_MEETINGS, meeting_id)
    round_ = repository.round_(session, meeting.round_id)
    assert round_ is not None
    _open(round_)
    found = repository.cases_by_id(session, [case_id for case_id, _ in votes])
    rows = []
    for case_id, agree in votes:
        case = found.get(case_id)
        if case is None:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"case {case_id}")
        if case.round_id != meeting.round_id or case.hamlet_id != meeting.hamlet_id:
            raise RasoatError(ErrorCode.MEETING_REQUIRED, hamlet_id=case.hamlet_id)
        passed = vote_passes(agree, attendees(meeting))
        row = Vote(
            meeting_id=meeting.id,
            case_id=case.id,
            agree=agree,
            attendees=attendees(meeting),
            passed=passed,
        )
        repository.add(session, row)
        action = Action.VOTE_PASSED if passed else Action.VOTE_FAILED
        _move(
            session,
            actor,
            case,
            round_,
            action,
            meeting_id=meeting.id,
            agree=agree,
            attendees=attendees(meeting),
        )
        rows.append(row)
    repository.announce(session, [found[case_id] for case_id, _ in votes])
    return rows


def attach_minutes_photo(
    session: Session, principal: Principal, actor: Actor, meeting_id: int, sha256: str
) -> Meeting:
    """Keep the photo of the signed minutes (its bytes are stored by the caller)."""
    meeting = meeting_for(session, principal, Permission.RECORD_MEETINGS, meeting_id)
    meeting.minutes_photo_sha256 = sha256
    session.flush()
    record(session, actor, "minutes_photo", "review_meeting", meeting.id, after={"sha256": sha256})
    return meeting


# ----------------------------------------------------------------------------- posting


def post(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    hamlet_id: int,
    starts_on: date,
    calendar: WorkingCalendar,
) -> tuple[Posting, list[Case]]:
    """Post the hamlet's results at its cultural house for the procedure's working days;
    every case ready (voted, or accepted where no meeting votes) is posted."""
    round_ = round_for(session, principal, Permission.MANAGE_REVIEW, round_id)
    _open(round_)
    hamlet = _hamlet_place(session, hamlet_id)
    require_place(principal, Permission.MANAGE_REVIEW, geography.place_of(hamlet))
    ready = S.VOTED if _meeting(round_) else S.ACCEPTED
    cases = [
        c for c in repository.cases_of_round(session, round_.id, hamlet.id) if c.state == ready
    ]
    if not cases:
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"no case of hamlet {hamlet.id} is {ready.value}"
        )
    ends_on = calendar.working_days_from(starts_on, round_.posting_working_days)
    posting = Posting(
        round_id=round_.id,
        place=PostingPlace.HAMLET.value,
        hamlet_id=hamlet.id,
        starts_on=starts_on,
        ends_on=ends_on,
        posted_by=actor.user_id,
    )
    repository.add(session, posting)
    for case in cases:
        case.posting_id = posting.id
        _move(
            session,
            actor,
            case,
            round_,
            Action.POST,
            posting_id=posting.id,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    repository.announce(session, cases)
    return posting, cases


def post_at_commune_office(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    starts_on: date,
    calendar: WorkingCalendar,
) -> tuple[Posting, list[Case]]:
    """Post at the commune People's Committee office, for the procedure's working days, every
    case already posted at its hamlet and not yet at the office (Decision 24/2021/QĐ-TTg,
    Art. 4(4): the lists are posted at both places)."""
    round_ = round_for(session, principal, Permission.MANAGE_REVIEW, round_id)
    _, place = _commune_place(session, round_.commune_id)
    # The office posts the whole commune's list: an act of the commune, not of a hamlet.
    require_place(principal, Permission.MANAGE_REVIEW, place)
    _open(round_)
    cases = [
        c
        for c in repository.cases_of_round(session, round_.id)
        if c.posting_id is not None and c.office_posting_id is None and c.state != S.WITHDRAWN
    ]
    if not cases:
        raise RasoatError(
            ErrorCode.INVALID_REQUEST,
            problem="no case posted at a hamlet waits for the commune office",
        )
    ends_on = calendar.working_days_from(starts_on, round_.posting_working_days)
    posting = Posting(
        round_id=round_.id,
        place=PostingPlace.COMMUNE_OFFICE.value,
        hamlet_id=None,
        starts_on=starts_on,
        ends_on=ends_on,
        posted_by=actor.user_id,
    )
    repository.add(session, posting)
    for case in cases:
        case.office_posting_id = posting.id
    session.flush()
    record(
        session,
        actor,
        "review_post_office",
        "review_posting",
        posting.id,
        after={
            "round_id": round_.id,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "case_ids": [c.id for c in cases],
        },
    )
    return posting, cases


def _postings_of_case(session: Session, case: Case) -> list[Posting]:
    """Return the case's postings: at its hamlet, then at the commune office."""
    ids = [i for i in (case.posting_id, case.office_posting_id) if i is not None]
    return [p for p in (repository.posting(session, i) for i in ids) if p is not None]


def complain(
    session: Session,
    principal: Principal,
    actor: Actor,
    case_id: int,
    raised_on: date,
    complainant: str,
    reason: str,
    calendar: WorkingCalendar,
) -> Complaint:
    """Record a complaint raised while the case is posted; the re-check is due within the
    procedure's working days."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    _open(round_)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RasoatError(ErrorCode.REASON_REQUIRED, min_length=MIN_REASON_LENGTH)
    postings = _postings_of_case(session, case)
    if postings and not any(p.starts_on <= raised_on <= p.ends_on for p in postings):
        periods = ", ".join(f"{p.starts_on} to {p.ends_on}" for p in postings)
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"complaints are taken while posted, {periods}"
        )
    due = calendar.working_days_after(raised_on, round_.recheck_working_days)
    row = Complaint(
        case_id=case.id,
        raised_on=raised_on,
        complainant=complainant,
        reason=reason.strip(),
        recheck_due_on=due,
        recorded_by=actor.user_id,
    )
    _move(session, actor, case, round_, Action.COMPLAIN, raised_on=raised_on, due_on=due)
    repository.add(session, row)
    repository.announce(session, [case])
    return row


def recheck(
    session: Session,
    principal: Principal,
    actor: Actor,
    complaint_id: int,
    outcome_class: str,
    note: str,
    rechecked_on: date,
) -> Complaint:
    """Record the re-check's outcome; a different class replaces the case's and is posted with
    the re-check results."""
    row = repository.complaint(session, complaint_id)
    if row is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"complaint {complaint_id}")
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, row.case_id)
    _open(round_)
    if outcome_class not in CLASSES:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"no class {outcome_class}")
    if rechecked_on < row.raised_on:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="re-checked before the complaint")
    worker = ProcedureKind(round_.procedure) is ProcedureKind.LOW_INCOME_WORKER
    # A low-income worker's test hangs on the household's class, which this procedure does not
    # decide: the re-check finds that class again and the test is run anew against it.
    before = (case.income or {}).get("household_class") if worker else case.final_class
    _move(
        session,
        actor,
        case,
        round_,
        Action.RECHECK,
        complaint_id=row.id,
        before_class=before,
        outcome_class=outcome_class,
    )
    row.before_class = before
    row.outcome_class = outcome_class
    row.outcome_note = note
    row.rechecked_on = rechecked_on
    row.rechecked_by = actor.user_id
    if worker and case.income is not None:
        test = low_income_worker_test(
            int(case.income["income_per_capita_vnd"]),
            int(case.income["line_vnd"]),
            int(case.income["ceiling_vnd"]),
            outcome_class,
        )
        case.income = {**case.income, "household_class": outcome_class, "eligible": test.eligible}
    elif outcome_class != before:
        earlier = repository.classes_before(session, [case.household_id], round_.year)
        case.final_class = outcome_class
        case.change = change_from_last_year(earlier.get(case.household_id, []), outcome_class).value
    session.flush()
    repository.announce(session, [case])
    return row


# ----------------------------------------------------------------------------- decision


def _on_time(round_: Round, day: date, late_reason: str | None) -> str | None:
    """Return the reason a step taken on ``day`` is late (None when it is not); raise
    DECISION_OVERDUE when it is late without a reason. The deadline binds the commune, so a
    late decision is refused by default, yet a household must still get one: the chair may
    take it with a written reason, which is kept."""
    due = round_.decision_due_on
    if due is None or day <= due:
        return None
    reason = (late_reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise RasoatError(
            ErrorCode.DECISION_OVERDUE,
            due_on=due.isoformat(),
            on=day.isoformat(),
            min_length=MIN_REASON_LENGTH,
        )
    return reason


def _check_postings(
    session: Session, round_: Round, deciding: list[Case], decision_date: date
) -> None:
    """Raise unless every deciding case was posted at its hamlet and at the commune office,
    and both postings ended before the decision date (which is not after today)."""
    unposted = [c for c in deciding if c.posting_id is None or c.office_posting_id is None]
    if unposted:
        raise RasoatError(
            ErrorCode.ROUND_NOT_READY,
            count=len(unposted),
            missing=PostingPlace.COMMUNE_OFFICE.value,
            cases=[{"id": c.id, "state": c.state} for c in unposted[:20]],
        )
    postings = {p.id: p for p in repository.postings_of(session, round_.id)}
    used = {i for c in deciding for i in (c.posting_id, c.office_posting_id) if i is not None}
    running = [postings[i] for i in sorted(used) if postings[i].ends_on >= decision_date]
    if running:
        last = max(running, key=lambda p: (p.ends_on, p.id))
        raise RasoatError(
            ErrorCode.POSTING_NOT_ENDED,
            ends_on=last.ends_on.isoformat(),
            place=last.place,
            hamlet_id=last.hamlet_id,
            posting_id=last.id,
        )


def recognise(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    decision_number: str,
    decision_date: date,
    today: date,
    late_reason: str | None = None,
) -> list[Case]:
    """The commune chair's decision: every posted or re-checked case is recognised once its
    postings at the hamlet and the commune office have ended, and its class becomes the
    household's official class of the year. A decision after the round's deadline needs
    ``late_reason``."""
    round_ = round_for(session, principal, Permission.RECOGNISE_LISTS, round_id)
    _open(round_)
    if decision_date > today:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the decision date is in the future")
    cases = repository.cases_of_round(session, round_.id)
    unfinished = [c for c in cases if c.state not in _DECIDABLE]
    if unfinished:
        raise RasoatError(
            ErrorCode.ROUND_NOT_READY,
            count=len(unfinished),
            cases=[{"id": c.id, "state": c.state} for c in unfinished[:20]],
        )
    deciding = [c for c in cases if c.state != S.WITHDRAWN]
    _check_postings(session, round_, deciding, decision_date)
    late = _on_time(round_, decision_date, late_reason)
    round_.status = "recognised"
    round_.decision_number = decision_number
    round_.decision_date = decision_date
    round_.decision_late_reason = late
    round_.recognised_by = actor.user_id
    decided = {"number": decision_number, "date": decision_date.isoformat()}
    for case in deciding:
        _move(session, actor, case, round_, Action.RECOGNISE, decision=decided)
        _make_official(session, actor, case, round_, decided)
    record(
        session,
        actor,
        "recognise",
        "review_round",
        round_.id,
        after={**decided, "cases": len(deciding), "late_reason": late},
    )
    repository.announce(session, deciding)
    return deciding


def _make_official(
    session: Session, actor: Actor, case: Case, round_: Round, decided: dict[str, str]
) -> None:
    """Add the decided class to the household's history as the year's standing class."""
    if case.final_class is None:
        return
    basis = (
        repository.classifications_by_id(session, [case.classification_id]).get(
            case.classification_id
        )
        if case.classification_id
        else None
    )
    standard = basis.standard_id if basis else standard_of(round_).id
    result = dict(basis.result) if basis else {}
    result["decision"] = {
        **decided,
        "round_id": round_.id,
        "case_id": case.id,
        "engine_class": case.engine_class,
        "overridden": case.overridden,
        "override_reason": case.override_reason,
    }
    row = Classification(
        household_id=case.household_id,
        year=round_.year,
        household_class=case.final_class,
        standard_id=standard,
        complete=basis.complete if basis else True,
        deprived=list(basis.deprived) if basis else [],
        result=result,
        source="decision",
        submission_id=case.submission_id,
        recorded_by=actor.user_id,
    )
    repository.add(session, row)
    stand_for_year(session, actor, row, **decided)


def certify(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    issued_on: date,
    late_reason: str | None = None,
) -> list[Case]:
    """Issue a certificate (Form 03) to every recognised poor or near-poor household of the
    round; one that kept last year's class has its certificate stamped for the year. Past the
    round's deadline (Art. 5 gives the decision and the certificates the same 15 days) they
    are issued only with ``late_reason``, or when the decision itself was taken late."""
    round_ = round_for(session, principal, Permission.RECOGNISE_LISTS, round_id)
    if round_.status != "recognised" or round_.decision_date is None:
        raise RasoatError(ErrorCode.ROUND_NOT_READY, count=0, problem="not recognised yet")
    if issued_on < round_.decision_date:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="issued before the decision")
    late = _on_time(round_, issued_on, late_reason or round_.decision_late_reason)
    commune = geography.commune(session, round_.commune_id)
    assert commune is not None
    number = repository.certificates_issued(session, round_.year, round_.commune_id)
    issued = []
    for case in repository.cases_of_round(session, round_.id):
        if case.state != S.RECOGNISED or case.final_class not in ON_LISTS:
            continue
        number += 1
        case.certificate_number = f"{number:04d}/{round_.year}/{commune.code}"
        case.certificate_kind = "stamped" if case.previous_class == case.final_class else "issued"
        case.certificate_issued_on = issued_on
        _move(
            session,
            actor,
            case,
            round_,
            Action.CERTIFY,
            number=case.certificate_number,
            kind=case.certificate_kind,
            issued_on=issued_on,
            late_reason=late,
        )
        issued.append(case)
    repository.announce(session, issued)
    return issued


# ----------------------------------------------------------------------------- reading


@dataclass
class CaseView:
    """A case with what a reviewer needs beside it."""

    case: Case
    round: Round
    household: Household
    hamlet: Hamlet
    submission: Submission | None
    classification: Classification | None
    comments: list[Comment] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    geofence_distance_m: float | None = None


def views(session: Session, cases: list[Case]) -> list[CaseView]:
    """Return each case with its household, hamlet, round, survey, classification, comments,
    complaints and geofence flag."""
    households = repository.households_by_id(session, [c.household_id for c in cases])
    hamlets = repository.hamlets_by_id(session, [c.hamlet_id for c in cases])
    submission_ids = [c.submission_id for c in cases if c.submission_id]
    submissions = repository.submissions_by_id(session, submission_ids)
    classifications = repository.classifications_by_id(
        session, [c.classification_id for c in cases if c.classification_id]
    )
    flags = repository.geofence_flags(session, submission_ids)
    comments = repository.comments_of(session, [c.id for c in cases])
    complaints = repository.complaints_of(session, [c.id for c in cases])
    rounds = {r: repository.round_(session, r) for r in {c.round_id for c in cases}}
    found = []
    for case in cases:
        flag = flags.get(case.submission_id or 0)
        round_ = rounds[case.round_id]
        assert round_ is not None
        found.append(
            CaseView(
                case=case,
                round=round_,
                household=households[case.household_id],
                hamlet=hamlets[case.hamlet_id],
                submission=submissions.get(case.submission_id or 0),
                classification=classifications.get(case.classification_id or 0),
                comments=comments.get(case.id, []),
                complaints=complaints.get(case.id, []),
                geofence_distance_m=None if flag is None else flag.distance_m,
            )
        )
    return found


QUEUE_STATES = (S.SURVEYED.value, S.RESURVEYED.value, S.UNDER_REVIEW.value)


def queue(
    session: Session,
    principal: Principal,
    round_id: int,
    states: Iterable[str] | None,
    hamlet_id: int | None,
) -> list[CaseView]:
    """Return the round's cases waiting for review (or in ``states``) inside the scope."""
    round_ = round_for(session, principal, Permission.READ_REGISTRY, round_id)
    chosen = QUEUE_STATES if states is None else tuple(states)
    return views(session, repository.cases(session, principal.scope, round_.id, chosen, hamlet_id))


def list_cases(
    session: Session,
    principal: Principal,
    round_id: int | None,
    states: Iterable[str] | None,
    hamlet_id: int | None,
) -> list[CaseView]:
    """Return the cases inside the principal's scope: an enumerator's returned cases, a
    hamlet head's cases to vote on."""
    require(principal, Permission.READ_REGISTRY)
    return views(session, repository.cases(session, principal.scope, round_id, states, hamlet_id))


def case_view(
    session: Session, principal: Principal, case_id: int
) -> tuple[CaseView, list[Transition], list[Submission]]:
    """Return the case with its transitions and every survey of its household."""
    case, _ = case_for(session, principal, Permission.READ_REGISTRY, case_id)
    return (
        views(session, [case])[0],
        repository.transitions_of(session, case.id),
        repository.submissions_of(session, case.household_id),
    )


def case_documents(session: Session, keys: list[str]) -> dict[int, dict[str, Any]]:
    """Return the pull item of each case: its state and the open comments on its survey."""
    cases = list(repository.cases_by_id(session, [int(k) for k in keys]).values())
    rounds = {r: repository.round_(session, r) for r in {c.round_id for c in cases}}
    comments = repository.comments_of(session, [c.id for c in cases])
    documents = {}
    for case in cases:
        round_ = rounds[case.round_id]
        assert round_ is not None
        documents[case.id] = {
            "hamlet_id": case.hamlet_id,
            "household_id": case.household_id,
            "round_id": case.round_id,
            "procedure": round_.procedure,
            "year": round_.year,
            "state": case.state,
            "final_class": case.final_class,
            "overridden": case.overridden,
            "submission_id": case.submission_id,
            "comments": [
                {
                    "id": c.id,
                    "question": c.question,
                    "text": c.text,
                    "return_no": c.return_no,
                    "submission_id": c.submission_id,
                }
                for c in comments.get(case.id, [])
                if c.addressed_by is None
            ],
        }
    return documents
