"""Attaching surveys to cases (the newest of the round's year) and the income tests of the
application-based procedures.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.audit.service import Actor
from server.auth.policy import Permission, Principal
from server.households import repository as registry
from server.review import repository
from server.review.models import (
    Case,
    Round,
)
from server.review.service.access import (
    S,
    case_for,
    hamlet_of,
    move_case,
    require_open,
    round_for,
    standard_of,
)
from server.review.service.score import by_score, score_case
from server.surveys.models import Survey
from shared.errors import ErrorCode, RasoatError
from shared.household import Area
from shared.review.procedures import ProcedureKind
from shared.review.rules import (
    average_living_test,
    low_income_worker_test,
    monthly_income_per_capita,
)
from shared.review.states import Action
from shared.year_change import change_from_last_year


def _survey_year(survey: Survey) -> int:
    return int(str(survey.household_document.get("reference_date", "0000"))[:4])


def _attach(session: Session, actor: Actor, case: Case, round_: Round, survey: Survey) -> None:
    classification = repository.classification_of(session, survey.id)
    assert classification is not None
    earlier = registry.classes_before(session, [case.household_id], round_.year)
    previous = case.survey_id
    case.survey_id = survey.id
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
        comment.addressed_by = survey.id
    if by_score(round_):
        # The round estimates income by score: the class is the Phiếu B1's, not the survey's.
        score_case(session, actor, case, round_)
    move_case(
        session,
        actor,
        case,
        round_,
        Action.SURVEY,
        survey_id=survey.id,
        replaces_survey_id=previous,
        engine_class=case.engine_class,
        comments_addressed=[c.id for c in addressed],
    )


def collect(session: Session, principal: Principal, actor: Actor, round_id: int) -> list[Case]:
    """Attach each listed or returned case's newest survey of the round's year (submitted
    after the one it holds) and return the cases that moved on."""
    round_ = round_for(session, principal, Permission.MANAGE_REVIEW, round_id)
    require_open(round_)
    waiting = repository.cases(
        session, principal.scope, round_.id, {S.LISTED.value, S.RETURNED.value}
    )
    found = repository.surveys_after(session, [c.household_id for c in waiting], 0)
    moved = []
    for case in waiting:
        fresh = [
            s
            for s in found.get(case.household_id, [])
            if s.id > (case.survey_id or 0) and _survey_year(s) == round_.year
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
    survey_id: int | None,
) -> Case:
    """Hand in a survey for a listed or returned case: the one named, or the household's
    newest of the round's year."""
    case, round_ = case_for(session, principal, Permission.SUBMIT_SURVEYS, case_id)
    require_open(round_)
    candidates = [
        s
        for s in repository.surveys_of(session, case.household_id)
        if _survey_year(s) == round_.year and s.id > (case.survey_id or 0)
    ]
    if survey_id is not None:
        candidates = [s for s in candidates if s.id == survey_id]
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
    require_open(round_)
    kind = ProcedureKind(round_.procedure)
    if kind not in (ProcedureKind.AVERAGE_LIVING, ProcedureKind.LOW_INCOME_WORKER):
        raise RasoatError(ErrorCode.CLASSIFIED_BY_SURVEY, procedure=kind.value)
    hamlet = hamlet_of(session, case.hamlet_id)
    standard = standard_of(round_)
    if "average_ceiling" not in standard.thresholds:
        raise RasoatError(ErrorCode.NO_AVERAGE_CEILING, standard=standard.id)
    area: Area = "urban" if hamlet.area == "urban" else "rural"
    line = standard.thresholds[standard.income_line].for_area(area)
    ceiling = standard.thresholds["average_ceiling"].for_area(area)
    per_capita = monthly_income_per_capita(income_12_months_vnd, allowances_vnd, members)
    standing = registry.year_class(session, case.household_id, round_.year)
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
    move_case(session, actor, case, round_, Action.SURVEY, income=case.income)
    repository.announce(session, [case])
    return case
