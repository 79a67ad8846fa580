"""Registering a poor or near-poor household to exit poverty, its status and the hamlets' yearly
targets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require
from server.db import utcnow
from server.geography import repository as geography
from server.households import repository as households
from server.support import repository
from server.support.models import (
    ExitRegistration,
    ExitTarget,
)
from server.support.service.access import (
    announce,
    commune_for,
    hamlet_for,
    missing,
    registration_for,
)
from shared.errors import ErrorCode, RasoatError
from shared.vocabulary import ON_LISTS


@dataclass(frozen=True)
class RegistrationData:
    household_id: int
    year: int
    causes: list[str]
    needs: list[dict[str, Any]]
    target_date: date
    officers_needed: int = 1
    survey_uuid: str | None = None
    answers: dict[str, Any] | None = None


def _registration_record(registration: ExitRegistration) -> dict[str, Any]:
    return {
        "household_id": registration.household_id,
        "year": registration.year,
        "status": registration.status,
        "starting_class": registration.starting_class,
        "causes": registration.causes,
        "deprivations": registration.deprivations,
        "needs": registration.needs,
        "officers_needed": registration.officers_needed,
        "target_date": registration.target_date.isoformat(),
        "survey_uuid": registration.survey_uuid,
    }


def register(
    session: Session, principal: Principal, actor: Actor, data: RegistrationData
) -> ExitRegistration:
    """Register a poor or near-poor household to exit poverty in ``data.year``; its remaining
    deprivations are those of the classification standing for it. Raises ALREADY_REGISTERED when
    it is registered for that year already."""
    household = households.household(session, data.household_id)
    if household is None:
        raise missing(f"household {data.household_id}")
    hamlet_for(session, principal, Permission.REGISTER_EXITS, household.hamlet_id)
    if data.target_date.year != data.year:
        raise RasoatError(ErrorCode.TARGET_DATE_OUTSIDE_YEAR, year=data.year)
    if repository.registration_of(session, household.id, data.year) is not None:
        raise RasoatError(ErrorCode.ALREADY_REGISTERED, household=household.code, year=data.year)
    standing = households.standing_classifications(session, [household.id]).get(household.id)
    if standing is None or standing.household_class not in ON_LISTS:
        raise RasoatError(ErrorCode.NOT_ON_LISTS, household=household.code)
    registration = ExitRegistration(
        household_id=household.id,
        hamlet_id=household.hamlet_id,
        year=data.year,
        status="registered",
        starting_class=standing.household_class,
        causes=sorted(set(data.causes)),
        deprivations=list(standing.deprived),
        needs=data.needs,
        officers_needed=data.officers_needed,
        target_date=data.target_date,
        survey_uuid=data.survey_uuid,
        answers=data.answers,
        registered_by=principal.user_id,
    )
    repository.add(session, registration)
    record(
        session,
        actor,
        "register",
        "exit_registration",
        registration.id,
        after=_registration_record(registration),
    )
    announce(session, [registration])
    return registration


def set_status(
    session: Session,
    principal: Principal,
    actor: Actor,
    registration_ids: list[int],
    status: str,
) -> list[ExitRegistration]:
    """Confirm registrations (the commune's list) or withdraw them; a withdrawn household's
    officers are released."""
    found = []
    for registration_id in sorted(set(registration_ids)):
        registration = registration_for(
            session, principal, Permission.MANAGE_SUPPORT, registration_id, lock=True
        )
        if registration.status == "withdrawn":
            raise RasoatError(ErrorCode.REGISTRATION_WITHDRAWN, registration_id=registration_id)
        found.append(registration)
    changed = [r for r in found if r.status != status]
    now = utcnow()
    for registration in changed:
        before = registration.status
        registration.status = status
        if status == "confirmed":
            registration.confirmed_by = principal.user_id
            registration.confirmed_at = now
        else:
            for held in repository.active_assignments(session, [registration.id]).get(
                registration.id, []
            ):
                held.active = False
                held.ended_at = now
        session.flush()
        record(
            session,
            actor,
            "confirm" if status == "confirmed" else "withdraw",
            "exit_registration",
            registration.id,
            before={"status": before},
            after={"status": status},
        )
    announce(session, changed)
    return found


def list_registrations(
    session: Session,
    principal: Principal,
    commune_id: int | None,
    year: int | None,
    hamlet_id: int | None,
    status: str | None,
) -> list[ExitRegistration]:
    """Return the registrations in the principal's scope."""
    require(principal, Permission.READ_REGISTRY)
    return repository.registrations(session, principal.scope, commune_id, year, hamlet_id, status)


def set_target(
    session: Session, principal: Principal, actor: Actor, hamlet_id: int, year: int, count: int
) -> ExitTarget:
    """Set how many households of the hamlet are to exit poverty in ``year``."""
    hamlet = hamlet_for(session, principal, Permission.MANAGE_SUPPORT, hamlet_id)
    target = repository.target(session, hamlet.id, year)
    before = None if target is None else {"households": target.households}
    if target is None:
        target = ExitTarget(hamlet_id=hamlet.id, year=year, households=count)
        repository.add(session, target)
    else:
        target.households = count
        session.flush()
    record(
        session,
        actor,
        "set_target",
        "hamlet",
        hamlet.id,
        before=before,
        after={"year": year, "households": count},
    )
    return target


@dataclass(frozen=True)
class HamletCount:
    hamlet_id: int
    hamlet_name: str
    target: int | None
    registered: int
    confirmed: int


def hamlet_counts(
    session: Session, principal: Principal, commune_id: int, year: int
) -> list[HamletCount]:
    """Return, per hamlet of the commune in scope, households registered (confirmed or not)
    and confirmed against the year's target."""
    commune_for(session, principal, Permission.READ_REGISTRY, commune_id)
    hamlets = geography.hamlets(session, principal.scope, commune_id)
    registrations = repository.registrations(session, principal.scope, commune_id, year)
    targets = repository.targets(session, [h.id for h in hamlets], year)
    registered = Counter(r.hamlet_id for r in registrations if r.status != "withdrawn")
    confirmed = Counter(r.hamlet_id for r in registrations if r.status == "confirmed")
    return [
        HamletCount(h.id, h.name, targets.get(h.id), registered[h.id], confirmed[h.id])
        for h in hamlets
    ]
