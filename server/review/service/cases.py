"""The commune officer's review of a case: start, accept, return with comments on questions,
override the class with a reason, withdraw.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.households import repository as registry
from server.review import repository
from server.review.models import (
    Case,
    Comment,
    Round,
)
from server.review.service.access import S, case_for, move_case, require_open
from server.review.service.signoffs import require_unlocked
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.review.procedures import ProcedureKind
from shared.review.rules import (
    MIN_REASON_LENGTH,
    question_ids,
)
from shared.review.states import Action
from shared.vocabulary import CLASSES
from shared.year_change import change_from_last_year


def _start_review(session: Session, actor: Actor, case: Case, round_: Round) -> None:
    if case.state in (S.SURVEYED, S.RESURVEYED):
        move_case(session, actor, case, round_, Action.START_REVIEW)


def start_review(session: Session, principal: Principal, actor: Actor, case_id: int) -> Case:
    """Take a surveyed case into review."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    require_open(round_)
    require_unlocked(session, round_)
    move_case(session, actor, case, round_, Action.START_REVIEW)
    repository.announce(session, [case])
    return case


def accept(session: Session, principal: Principal, actor: Actor, case_id: int) -> Case:
    """Approve the case's class (the engine's, or the override); a surveyed case is taken
    into review first."""
    case, round_ = case_for(session, principal, Permission.MANAGE_REVIEW, case_id)
    require_open(round_)
    require_unlocked(session, round_)
    _start_review(session, actor, case, round_)
    kind = ProcedureKind(round_.procedure)
    if kind is ProcedureKind.AVERAGE_LIVING and case.final_class != "average":
        raise RasoatError(ErrorCode.NOT_AVERAGE_LIVING)
    if kind is ProcedureKind.LOW_INCOME_WORKER and not (case.income or {}).get("eligible"):
        raise RasoatError(ErrorCode.INCOME_TEST_NOT_MET)
    move_case(
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
    if case.survey_id is not None:
        survey = repository.survey(session, case.survey_id)
        assert survey is not None
        try:
            form = shipped().get(survey.form_id, int(survey.form_version))
            nodes = set(form.nodes)
        except RasoatError:
            nodes = None  # a household document sent as is: its paths are the document's
    for comment in comments:
        ids = question_ids(comment.question)
        if nodes is not None and any(i not in nodes for i in ids):
            raise RasoatError(ErrorCode.UNKNOWN_QUESTION, question=comment.question)


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
    require_open(round_)
    require_unlocked(session, round_)
    if not comments:
        raise RasoatError(ErrorCode.CORRECTIONS_REQUIRED)
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
            survey_id=case.survey_id,
            author_id=actor.user_id,
        )
        for c in comments
    ]
    repository.add_all(session, rows)
    move_case(
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
    require_open(round_)
    require_unlocked(session, round_)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RasoatError(ErrorCode.REASON_REQUIRED, min_length=MIN_REASON_LENGTH)
    if household_class not in CLASSES:
        raise RasoatError(ErrorCode.UNKNOWN_CLASS, household_class=household_class)
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
    earlier = registry.classes_before(session, [case.household_id], round_.year)
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
    require_open(round_)
    require_unlocked(session, round_)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RasoatError(ErrorCode.REASON_REQUIRED, min_length=MIN_REASON_LENGTH)
    move_case(session, actor, case, round_, Action.WITHDRAW, reason=reason.strip())
    repository.announce(session, [case])
    return case
