"""The province's sign-off of a commune's round: while it stands, the round's figures (its
cases' classes and states, the chair's decision) cannot change; the province reopens the round
to let them change again. The round is the period a sign-off covers: it is how a commune's
figures of a year (or a month's procedure) are made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.review.models import Round, SignOff
from server.review.service.access import round_for
from shared.errors import ErrorCode, RasoatError


def standing_signoff(session: Session, round_id: int) -> SignOff | None:
    """Return the round's sign-off that has not been reopened, if any."""
    return session.scalars(
        select(SignOff).where(SignOff.round_id == round_id, SignOff.reopened_at.is_(None))
    ).first()


def standing_signoffs(session: Session, round_ids: list[int]) -> dict[int, SignOff]:
    """Return the standing sign-off of each of the rounds that has one."""
    if not round_ids:
        return {}
    rows = session.scalars(
        select(SignOff).where(SignOff.round_id.in_(round_ids), SignOff.reopened_at.is_(None))
    )
    return {row.round_id: row for row in rows}


def require_unlocked(session: Session, round_: Round) -> None:
    """Raise ROUND_SIGNED_OFF while the province's sign-off of the round stands."""
    if standing_signoff(session, round_.id) is not None:
        raise RasoatError(ErrorCode.ROUND_SIGNED_OFF, round_id=round_.id)


def sign_off(
    session: Session, principal: Principal, actor: Actor, round_id: int, now: datetime
) -> SignOff:
    """Lock the round's figures; a round already signed off is refused."""
    round_ = round_for(session, principal, Permission.SIGN_OFF_ROUNDS, round_id)
    session.refresh(round_, with_for_update=True)
    require_unlocked(session, round_)
    row = SignOff(round_id=round_.id, signed_by=actor.user_id, signed_at=now)
    session.add(row)
    session.flush()
    record(session, actor, "sign_off", "review_round", round_.id, after={"signoff_id": row.id})
    return row


def reopen(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    reason: str | None,
    now: datetime,
) -> SignOff:
    """End the round's standing sign-off so its figures may change again."""
    round_ = round_for(session, principal, Permission.SIGN_OFF_ROUNDS, round_id)
    session.refresh(round_, with_for_update=True)
    row = standing_signoff(session, round_.id)
    if row is None:
        raise RasoatError(ErrorCode.ROUND_NOT_SIGNED_OFF, round_id=round_.id)
    row.reopened_by = actor.user_id
    row.reopened_at = now
    row.reopen_reason = (reason or "").strip() or None
    session.flush()
    record(
        session,
        actor,
        "reopen",
        "review_round",
        round_.id,
        before={"signoff_id": row.id},
        after={"reason": row.reopen_reason},
    )
    return row
