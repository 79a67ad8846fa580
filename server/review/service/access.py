"""Finding a round, case or meeting's hamlet in the principal's scope, the standard of a round's
list, and moving a case: every transition is a review_transitions row, an audit entry and a
change devices pull.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.orm import Session

from server.audit.service import Actor, canonical, record
from server.auth.policy import Permission, Place, Principal, require, require_place
from server.db import utcnow
from server.geography import repository as geography
from server.geography.models import Commune, Hamlet
from server.review import repository
from server.review.models import (
    Case,
    Round,
    Transition,
)
from shared.errors import ErrorCode, RasoatError
from shared.review.procedures import ProcedureKind, procedure
from shared.review.states import Action, CaseState, advance
from shared.standard import Standard
from shared.standards import load_catalog

S = CaseState


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


def holds_meeting(round_: Round) -> bool:
    """Return True when the round's procedure holds a hamlet meeting (and so a vote)."""
    return procedure(ProcedureKind(round_.procedure)).meeting


def commune_and_place(session: Session, commune_id: int) -> tuple[Commune, Place]:
    """Return the commune and its place for a scope check; NOT_FOUND when there is none."""
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
    _, place = commune_and_place(session, round_.commune_id)
    require(principal, permission)
    if not (principal.scope.covers(place) or _covers_a_hamlet(session, principal, round_)):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    return round_


def _covers_a_hamlet(session: Session, principal: Principal, round_: Round) -> bool:
    return any(
        principal.scope.covers(geography.place_of(h))
        for h in repository.hamlets_of_commune(session, round_.commune_id)
    )


def hamlet_of(session: Session, hamlet_id: int) -> Hamlet:
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
    require_place(principal, permission, geography.place_of(hamlet_of(session, case.hamlet_id)))
    round_ = repository.round_(session, case.round_id)
    assert round_ is not None
    return case, round_


def require_open(round_: Round) -> None:
    if round_.status != "open":
        raise RasoatError(ErrorCode.ROUND_CLOSED, round_id=round_.id, status=round_.status)


def move_case(
    session: Session,
    actor: Actor,
    case: Case,
    round_: Round,
    action: Action,
    **detail: Any,
) -> Transition:
    """Apply ``action`` to the case: the new state, its transition row, its audit entry."""
    before = CaseState(case.state)
    after = advance(before, action, holds_meeting(round_), case.id)
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
