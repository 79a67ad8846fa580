"""The support forms' names and stages, finding a commune, hamlet or registration in the
principal's scope, and entering registrations in their hamlets' change sequence.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.auth.policy import Permission, Principal, require, require_place
from server.changes.repository import add_changes
from server.geography import repository as geography
from server.geography.models import Commune, Hamlet
from server.support import repository
from server.support.models import (
    ExitRegistration,
)
from shared.errors import ErrorCode, RasoatError

REGISTRATION_FORM = "exit_registration"
VISIT_FORM = "support_visit"
SUPPORT_FORMS = (REGISTRATION_FORM, VISIT_FORM)
STAGES = ("registered", "on_track", "exited")


def missing(what: str) -> RasoatError:
    return RasoatError(ErrorCode.NOT_FOUND, what=what)


def announce(session: Session, registrations: list[ExitRegistration]) -> None:
    """Enter the registrations in their hamlets' sync streams."""
    add_changes(
        session.connection(),
        [
            {"entity": "support", "entity_key": str(r.id), "hamlet_id": r.hamlet_id}
            for r in sorted(registrations, key=lambda r: r.id)
        ],
    )


def commune_for(
    session: Session, principal: Principal, permission: Permission, commune_id: int
) -> Commune:
    """Return the commune when the principal may use ``permission`` across it; reading needs
    only some hamlet of it in scope."""
    commune = geography.commune(session, commune_id)
    if commune is None:
        raise missing(f"commune {commune_id}")
    if permission is Permission.READ_REGISTRY:
        require(principal, permission)
        if commune not in geography.communes(session, principal.scope):
            raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    else:
        require_place(principal, permission, geography.place_of_commune(commune))
    return commune


def hamlet_for(
    session: Session, principal: Principal, permission: Permission, hamlet_id: int
) -> Hamlet:
    hamlet = geography.hamlet(session, hamlet_id)
    if hamlet is None:
        raise missing(f"hamlet {hamlet_id}")
    require_place(principal, permission, geography.place_of(hamlet))
    return hamlet


def registration_for(
    session: Session,
    principal: Principal,
    permission: Permission,
    registration_id: int,
    lock: bool = False,
) -> ExitRegistration:
    """Return the registration when the principal may use ``permission`` in its hamlet."""
    found = repository.registration(session, registration_id, lock)
    if found is None:
        raise missing(f"registration {registration_id}")
    hamlet_for(session, principal, permission, found.hamlet_id)
    return found
