"""Opening a round, listing its households (last year's lists, or applicants) and reading the
rounds in scope.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require, require_place
from server.classification import service as score_tables
from server.geography.models import Commune
from server.households import repository as registry
from server.review import repository
from server.review.models import (
    Case,
    Round,
)
from server.review.service.access import S, commune_and_place, hamlet_of, require_open, round_for
from shared.errors import ErrorCode, RasoatError
from shared.review.calendar import WorkingCalendar
from shared.review.procedures import SCORED_PROCEDURES, IncomeMethod, ProcedureKind, procedure
from shared.standards import load_catalog


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
    income_method: IncomeMethod = IncomeMethod.MEASURED,
    score_table: str | None = None,
) -> Round:
    """Open a round in the commune; an annual round lists every household on last year's
    poor and near-poor lists (applicants are added one by one). A procedure with a decision
    deadline (monthly) keeps its last day, which is also the round's default end. The round
    makes the list of ``list_year`` (by default the procedure's: the next year for the annual
    review) and classifies under that year's standard. A round by score estimates poor and
    near-poor income from Phiếu B1 with ``score_table`` (by default the newest official table
    loaded for the commune's province)."""
    commune, place = commune_and_place(session, commune_id)
    require_place(principal, Permission.MANAGE_REVIEW, place)
    table = _score_table(session, commune, kind, income_method, score_table)
    rules = procedure(kind)
    makes = rules.list_year(year) if list_year is None else list_year
    if makes not in (year, year + 1):
        raise RasoatError(ErrorCode.LIST_YEAR, year=year, list_year=makes)
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
        raise RasoatError(ErrorCode.ROUND_DATES, starts_on=first, ends_on=last)
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
        income_method=income_method.value,
        score_table=table,
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
            "income_method": income_method.value,
            "score_table": table,
            "listed": len(cases),
        },
    )
    repository.announce(session, cases)
    return round_


def _score_table(
    session: Session,
    commune: Commune,
    kind: ProcedureKind,
    method: IncomeMethod,
    chosen: str | None,
) -> str | None:
    """Return the id of the score table a round by score uses (None for a measured round);
    raise SCORE_FOR_POOR_ONLY, NO_SCORE_TABLE, UNKNOWN_SCORE_TABLE or NO_COMMUNE_REGION."""
    if method is IncomeMethod.MEASURED:
        if chosen is not None:
            raise RasoatError(
                ErrorCode.INVALID_REQUEST, problem="a score table is for a round by score"
            )
        return None
    if kind not in SCORED_PROCEDURES:
        raise RasoatError(ErrorCode.SCORE_FOR_POOR_ONLY, procedure=kind.value)
    code = chosen or score_tables.province_table(session, commune.province.code)
    if code is None:
        raise RasoatError(ErrorCode.NO_SCORE_TABLE, province=commune.province.name)
    table = score_tables.table(session, code)
    if table.by_region and commune.region is None:
        raise RasoatError(ErrorCode.NO_COMMUNE_REGION, commune=commune.name, table=table.id)
    return table.id


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
    require_open(round_)
    household = registry.households_by_id(session, [household_id]).get(household_id)
    if household is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"household {household_id}")
    hamlet = hamlet_of(session, household.hamlet_id)
    if hamlet.commune_id != round_.commune_id:
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    if repository.case_of_household(session, round_.id, household.id) is not None:
        raise RasoatError(ErrorCode.ALREADY_LISTED, household=household.code)
    earlier = registry.classes_before(session, [household.id], round_.year).get(household.id)
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
