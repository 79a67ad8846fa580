"""Public posting at the hamlet and at the commune office, complaints during posting and their
re-check.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require_place
from server.geography import repository as geography
from server.households import repository as registry
from server.review import repository
from server.review.models import (
    Case,
    Complaint,
    Posting,
)
from server.review.service.access import (
    S,
    case_for,
    commune_and_place,
    hamlet_of,
    holds_meeting,
    move_case,
    require_open,
    round_for,
)
from shared.errors import ErrorCode, RasoatError
from shared.review.calendar import WorkingCalendar
from shared.review.procedures import PostingPlace, ProcedureKind
from shared.review.rules import (
    MIN_REASON_LENGTH,
    low_income_worker_test,
)
from shared.review.states import Action
from shared.vocabulary import CLASSES
from shared.year_change import change_from_last_year


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
    require_open(round_)
    hamlet = hamlet_of(session, hamlet_id)
    require_place(principal, Permission.MANAGE_REVIEW, geography.place_of(hamlet))
    ready = S.VOTED if holds_meeting(round_) else S.ACCEPTED
    cases = [
        c for c in repository.cases_of_round(session, round_.id, hamlet.id) if c.state == ready
    ]
    if not cases:
        raise RasoatError(ErrorCode.NOTHING_TO_POST, hamlet_id=hamlet.id, state=ready.value)
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
        move_case(
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
    _, place = commune_and_place(session, round_.commune_id)
    # The office posts the whole commune's list: an act of the commune, not of a hamlet.
    require_place(principal, Permission.MANAGE_REVIEW, place)
    require_open(round_)
    cases = [
        c
        for c in repository.cases_of_round(session, round_.id)
        if c.posting_id is not None and c.office_posting_id is None and c.state != S.WITHDRAWN
    ]
    if not cases:
        raise RasoatError(ErrorCode.NOTHING_TO_POST_AT_OFFICE)
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
    require_open(round_)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RasoatError(ErrorCode.REASON_REQUIRED, min_length=MIN_REASON_LENGTH)
    postings = _postings_of_case(session, case)
    if postings and not any(p.starts_on <= raised_on <= p.ends_on for p in postings):
        periods = ", ".join(f"{p.starts_on} to {p.ends_on}" for p in postings)
        raise RasoatError(ErrorCode.COMPLAINT_OUTSIDE_POSTING, periods=periods)
    due = calendar.working_days_after(raised_on, round_.recheck_working_days)
    row = Complaint(
        case_id=case.id,
        raised_on=raised_on,
        complainant=complainant,
        reason=reason.strip(),
        recheck_due_on=due,
        recorded_by=actor.user_id,
    )
    move_case(session, actor, case, round_, Action.COMPLAIN, raised_on=raised_on, due_on=due)
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
    require_open(round_)
    if outcome_class not in CLASSES:
        raise RasoatError(ErrorCode.UNKNOWN_CLASS, household_class=outcome_class)
    if rechecked_on < row.raised_on:
        raise RasoatError(ErrorCode.RECHECK_BEFORE_COMPLAINT)
    worker = ProcedureKind(round_.procedure) is ProcedureKind.LOW_INCOME_WORKER
    # A low-income worker's test hangs on the household's class, which this procedure does not
    # decide: the re-check finds that class again and the test is run anew against it.
    before = (case.income or {}).get("household_class") if worker else case.final_class
    move_case(
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
        earlier = registry.classes_before(session, [case.household_id], round_.year)
        case.final_class = outcome_class
        case.change = change_from_last_year(earlier.get(case.household_id, []), outcome_class).value
    session.flush()
    repository.announce(session, [case])
    return row
