"""The commune's registry of helping officers: who they are, their skills, hamlets, home base and
how many households they can help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth import repository as accounts
from server.auth.policy import Permission, Principal, Role
from server.geography import repository as geography
from server.geography.models import Commune
from server.support import repository
from server.support.models import (
    HelpingOfficer,
)
from server.support.service.access import commune_for, missing
from server.support.vocabulary import vocabulary
from shared.errors import ErrorCode, RasoatError


@dataclass(frozen=True)
class OfficerData:
    full_name: str
    organisation: str
    skills: list[str]
    hamlet_ids: list[int]
    capacity: int
    base_latitude: float | None = None
    base_longitude: float | None = None
    user_id: int | None = None
    active: bool = True


def _officer_record(officer: HelpingOfficer) -> dict[str, Any]:
    return {
        "full_name": officer.full_name,
        "organisation": officer.organisation,
        "skills": officer.skills,
        "hamlet_ids": officer.hamlet_ids,
        "capacity": officer.capacity,
        "base": [officer.base_latitude, officer.base_longitude],
        "user_id": officer.user_id,
        "active": officer.active,
    }


def _check_officer(session: Session, commune: Commune, data: OfficerData) -> None:
    words = vocabulary()
    if data.organisation not in words.organisations:
        raise RasoatError(ErrorCode.UNKNOWN_ORGANISATION, organisation=data.organisation)
    unknown = sorted(set(data.skills) - set(words.skills))
    if unknown:
        raise RasoatError(ErrorCode.UNKNOWN_SKILLS, skills=", ".join(unknown))
    hamlets = geography.hamlets_by_id(session, data.hamlet_ids)
    if len(hamlets) != len(set(data.hamlet_ids)) or any(
        h.commune_id != commune.id for h in hamlets.values()
    ):
        raise RasoatError(ErrorCode.HAMLET_NOT_IN_COMMUNE)
    if (data.base_latitude is None) != (data.base_longitude is None):
        raise RasoatError(ErrorCode.HOME_BASE_INCOMPLETE)
    if data.user_id is not None:
        _check_officer_user(session, commune, data.user_id)


def _check_officer_user(session: Session, commune: Commune, user_id: int) -> None:
    """Refuse to link an officer to an account working outside the commune (NOT_FOUND, so a
    commune officer learns nothing of other communes' accounts) or to an account that is not
    a helping officer's."""
    user = accounts.user(session, user_id)
    scope = None if user is None else accounts.scope_of(user)
    hamlets = geography.hamlets_by_id(session, scope.hamlet_ids if scope else [])
    if user is None or not hamlets or any(h.commune_id != commune.id for h in hamlets.values()):
        raise missing(f"user {user_id}")
    if user.role != Role.HELPING_OFFICER.value:
        raise RasoatError(ErrorCode.NOT_A_HELPING_OFFICER, user_id=user_id)


def create_officer(
    session: Session, principal: Principal, actor: Actor, commune_id: int, data: OfficerData
) -> HelpingOfficer:
    """Add a helping officer to the commune's registry."""
    commune = commune_for(session, principal, Permission.MANAGE_SUPPORT, commune_id)
    _check_officer(session, commune, data)
    if data.user_id is not None and repository.officer_of_user(session, data.user_id):
        raise RasoatError(ErrorCode.ALREADY_OFFICER, user_id=data.user_id)
    officer = HelpingOfficer(
        commune_id=commune.id,
        user_id=data.user_id,
        full_name=data.full_name,
        organisation=data.organisation,
        skills=sorted(set(data.skills)),
        hamlet_ids=sorted(set(data.hamlet_ids)),
        base_latitude=data.base_latitude,
        base_longitude=data.base_longitude,
        capacity=data.capacity,
        active=data.active,
    )
    repository.add(session, officer)
    record(session, actor, "create", "helping_officer", officer.id, after=_officer_record(officer))
    return officer


def update_officer(
    session: Session, principal: Principal, actor: Actor, officer_id: int, data: OfficerData
) -> HelpingOfficer:
    """Replace an officer's registry entry; lowering the capacity below the households held
    is refused."""
    officer = repository.officer(session, officer_id)
    if officer is None:
        raise missing(f"helping officer {officer_id}")
    commune = commune_for(session, principal, Permission.MANAGE_SUPPORT, officer.commune_id)
    _check_officer(session, commune, data)
    held = repository.largest_load(session, officer.id)
    if data.capacity < held:
        raise RasoatError(ErrorCode.CAPACITY_BELOW_LOAD, held=held)
    if data.user_id not in (None, officer.user_id):
        holder = repository.officer_of_user(session, data.user_id)
        if holder is not None:
            raise RasoatError(ErrorCode.ALREADY_OFFICER, user_id=data.user_id)
    before = _officer_record(officer)
    officer.full_name = data.full_name
    officer.organisation = data.organisation
    officer.skills = sorted(set(data.skills))
    officer.hamlet_ids = sorted(set(data.hamlet_ids))
    officer.capacity = data.capacity
    officer.base_latitude = data.base_latitude
    officer.base_longitude = data.base_longitude
    officer.user_id = data.user_id
    officer.active = data.active
    session.flush()
    record(
        session, actor, "update", "helping_officer", officer.id, before, _officer_record(officer)
    )
    return officer


def list_officers(session: Session, principal: Principal, commune_id: int) -> list[HelpingOfficer]:
    """Return the commune's helping officers."""
    commune_for(session, principal, Permission.READ_REGISTRY, commune_id)
    return repository.officers(session, commune_id)
