"""SQL of exiting poverty: registrations, officers, targets, proposals, assignments, plans and
visits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from server.auth.policy import Scope
from server.geography.models import Hamlet
from server.geography.repository import hamlets_in_scope
from server.households.models import Household, HouseholdYear
from server.support.models import (
    Assignment,
    ExitRegistration,
    ExitTarget,
    HelpingOfficer,
    PlanAction,
    Proposal,
    Visit,
)
from server.surveys.models import Survey
from shared.vocabulary import ON_LISTS

Row = HelpingOfficer | ExitRegistration | ExitTarget | Proposal | Assignment | PlanAction | Visit


def add(session: Session, row: Row) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()


def add_all(session: Session, rows: Iterable[Row]) -> None:
    session.add_all(list(rows))
    session.flush()


# ----------------------------------------------------------------------------- officers


def officer(session: Session, officer_id: int) -> HelpingOfficer | None:
    return session.get(HelpingOfficer, officer_id)


def officer_of_user(session: Session, user_id: int) -> HelpingOfficer | None:
    return session.scalars(select(HelpingOfficer).where(HelpingOfficer.user_id == user_id)).first()


def officers(session: Session, commune_id: int, active_only: bool = False) -> list[HelpingOfficer]:
    """Return the commune's helping officers, by id."""
    query = select(HelpingOfficer).where(HelpingOfficer.commune_id == commune_id)
    if active_only:
        query = query.where(HelpingOfficer.active.is_(True))
    return list(session.scalars(query.order_by(HelpingOfficer.id)))


def officers_by_id(session: Session, ids: Iterable[int]) -> dict[int, HelpingOfficer]:
    wanted = sorted(set(ids))
    query = select(HelpingOfficer).where(HelpingOfficer.id.in_(wanted))
    return {o.id: o for o in session.scalars(query)}


# ----------------------------------------------------------------------------- registrations


def registration(
    session: Session, registration_id: int, lock: bool = False
) -> ExitRegistration | None:
    query = select(ExitRegistration).where(ExitRegistration.id == registration_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def registration_of(session: Session, household_id: int, year: int) -> ExitRegistration | None:
    return session.scalars(
        select(ExitRegistration).where(
            ExitRegistration.household_id == household_id, ExitRegistration.year == year
        )
    ).first()


def registration_by_uuid(session: Session, uuid: str) -> ExitRegistration | None:
    return session.scalars(
        select(ExitRegistration).where(ExitRegistration.survey_uuid == uuid)
    ).first()


def _registrations_query(
    scope: Scope, commune_id: int | None, year: int | None, hamlet_id: int | None
) -> Select[ExitRegistration]:
    query = select(ExitRegistration).where(ExitRegistration.hamlet_id.in_(hamlets_in_scope(scope)))
    if commune_id is not None:
        query = query.where(
            ExitRegistration.hamlet_id.in_(select(Hamlet.id).where(Hamlet.commune_id == commune_id))
        )
    if year is not None:
        query = query.where(ExitRegistration.year == year)
    if hamlet_id is not None:
        query = query.where(ExitRegistration.hamlet_id == hamlet_id)
    return query


def registrations(
    session: Session,
    scope: Scope,
    commune_id: int | None = None,
    year: int | None = None,
    hamlet_id: int | None = None,
    status: str | None = None,
) -> list[ExitRegistration]:
    """Return the registrations of hamlets inside ``scope`` matching the filters, by id."""
    query = _registrations_query(scope, commune_id, year, hamlet_id)
    if status is not None:
        query = query.where(ExitRegistration.status == status)
    return list(session.scalars(query.order_by(ExitRegistration.id)))


def registrations_by_id(session: Session, ids: Iterable[int]) -> dict[int, ExitRegistration]:
    wanted = sorted(set(ids))
    query = select(ExitRegistration).where(ExitRegistration.id.in_(wanted))
    return {r.id: r for r in session.scalars(query)}


def listed_households(session: Session, commune_id: int, year: int) -> list[int]:
    """Return the ids of the commune's households on the poor or near-poor list of ``year``."""
    query = (
        select(Household.id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .join(HouseholdYear, HouseholdYear.household_id == Household.id)
        .where(
            Hamlet.commune_id == commune_id,
            HouseholdYear.year == year,
            HouseholdYear.household_class.in_(ON_LISTS),
        )
        .order_by(Household.id)
    )
    return list(session.scalars(query))


def latest_documents(session: Session, household_ids: Iterable[int]) -> dict[int, Survey]:
    """Return each household's latest survey (its latest data), if any."""
    wanted = sorted(set(household_ids))
    newest = (
        select(func.max(Survey.id))
        .where(Survey.household_id.in_(wanted))
        .group_by(Survey.household_id)
    )
    query = select(Survey).where(Survey.id.in_(newest))
    return {s.household_id: s for s in session.scalars(query)}


def targets(session: Session, hamlet_ids: Iterable[int], year: int) -> dict[int, int]:
    wanted = sorted(set(hamlet_ids))
    query = select(ExitTarget).where(ExitTarget.hamlet_id.in_(wanted), ExitTarget.year == year)
    return {t.hamlet_id: t.households for t in session.scalars(query)}


def target(session: Session, hamlet_id: int, year: int) -> ExitTarget | None:
    return session.get(ExitTarget, (hamlet_id, year))


# ----------------------------------------------------------------------------- assignments


def active_assignments(
    session: Session, registration_ids: Iterable[int]
) -> dict[int, list[Assignment]]:
    """Return the active assignments of each registration, by officer id."""
    wanted = sorted(set(registration_ids))
    query = (
        select(Assignment)
        .where(Assignment.registration_id.in_(wanted), Assignment.active.is_(True))
        .order_by(Assignment.registration_id, Assignment.officer_id)
    )
    found: dict[int, list[Assignment]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.registration_id].append(row)
    return found


def officer_loads(session: Session, officer_ids: Iterable[int], year: int) -> dict[int, int]:
    """Return how many registrations of ``year`` each officer actively helps."""
    wanted = sorted(set(officer_ids))
    query = (
        select(Assignment.officer_id, func.count())
        .join(ExitRegistration, ExitRegistration.id == Assignment.registration_id)
        .where(
            Assignment.officer_id.in_(wanted),
            Assignment.active.is_(True),
            ExitRegistration.year == year,
        )
        .group_by(Assignment.officer_id)
    )
    return {row[0]: row[1] for row in session.execute(query)}


def largest_load(session: Session, officer_id: int) -> int:
    """Return the most registrations of one year the officer actively helps."""
    query = (
        select(func.count())
        .select_from(Assignment)
        .join(ExitRegistration, ExitRegistration.id == Assignment.registration_id)
        .where(Assignment.officer_id == officer_id, Assignment.active.is_(True))
        .group_by(ExitRegistration.year)
    )
    return max(session.scalars(query), default=0)


def previous_officers(
    session: Session, household_ids: Iterable[int], year: int
) -> dict[int, set[int]]:
    """Return the officers who were helping each household for ``year`` when it ended: its
    assignments still active, else the last ones made."""
    wanted = sorted(set(household_ids))
    query = (
        select(ExitRegistration.household_id, Assignment.officer_id, Assignment.active)
        .join(Assignment, Assignment.registration_id == ExitRegistration.id)
        .where(ExitRegistration.household_id.in_(wanted), ExitRegistration.year == year)
        .order_by(Assignment.id)
    )
    active: dict[int, set[int]] = defaultdict(set)
    any_: dict[int, set[int]] = defaultdict(set)
    for household_id, officer_id, is_active in session.execute(query):
        any_[household_id].add(officer_id)
        if is_active:
            active[household_id].add(officer_id)
    return {h: active.get(h) or any_[h] for h in any_}


def open_proposals(session: Session, commune_id: int, year: int) -> list[Proposal]:
    query = select(Proposal).where(
        Proposal.commune_id == commune_id, Proposal.year == year, Proposal.status == "open"
    )
    return list(session.scalars(query))


def proposal(session: Session, proposal_id: int, lock: bool = False) -> Proposal | None:
    query = select(Proposal).where(Proposal.id == proposal_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


# ----------------------------------------------------------------------------- plans, visits


def actions(session: Session, registration_ids: Iterable[int]) -> dict[int, list[PlanAction]]:
    wanted = sorted(set(registration_ids))
    query = (
        select(PlanAction)
        .where(PlanAction.registration_id.in_(wanted))
        .order_by(PlanAction.registration_id, PlanAction.id)
    )
    found: dict[int, list[PlanAction]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.registration_id].append(row)
    return found


def action(session: Session, action_id: int) -> PlanAction | None:
    return session.get(PlanAction, action_id)


def visits(session: Session, registration_ids: Iterable[int]) -> dict[int, list[Visit]]:
    """Return each registration's visits, oldest first."""
    wanted = sorted(set(registration_ids))
    query = (
        select(Visit)
        .where(Visit.registration_id.in_(wanted))
        .order_by(Visit.registration_id, Visit.visit_date, Visit.id)
    )
    found: dict[int, list[Visit]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.registration_id].append(row)
    return found


def visit_by_uuid(session: Session, uuid: str) -> Visit | None:
    return session.scalars(select(Visit).where(Visit.uuid == uuid)).first()


def move_to_hamlet(
    session: Session, commune_id: int, from_hamlet_ids: list[int], to_hamlet_id: int, from_year: int
) -> int:
    """Give the helping officers who cover a merged-away hamlet the merged one instead, and
    move the exit registrations of ``from_year`` on to it; return how many rows changed."""
    gone = set(from_hamlet_ids)
    changed = 0
    for officer_ in session.scalars(
        select(HelpingOfficer).where(HelpingOfficer.commune_id == commune_id)
    ):
        if gone & set(officer_.hamlet_ids):
            kept = [h for h in officer_.hamlet_ids if h not in gone]
            officer_.hamlet_ids = sorted({*kept, to_hamlet_id})
            changed += 1
    registrations_ = session.scalars(
        select(ExitRegistration).where(
            ExitRegistration.hamlet_id.in_(sorted(gone)), ExitRegistration.year >= from_year
        )
    )
    for registration_ in registrations_:
        registration_.hamlet_id = to_hamlet_id
        changed += 1
    session.flush()
    return changed
