"""The self-check's SQL: the places a household may choose, its applications' rows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.geography.models import Commune, Hamlet
from server.households.models import Household
from server.selfcheck.models import SelfCheckApplication

# Households registered from the page carry this prefix and a number of the commune's own.
CODE_PREFIX = "TDG-"


def places(session: Session) -> list[Hamlet]:
    """Return every hamlet with its commune, by commune name then hamlet name: the page is
    public, so a household chooses among all the communes the server serves."""
    return list(session.scalars(select(Hamlet).join(Commune).order_by(Commune.name, Hamlet.name)))


def hamlet(session: Session, hamlet_id: int) -> Hamlet | None:
    return session.get(Hamlet, hamlet_id)


def commune_of(session: Session, hamlet: Hamlet) -> Commune:
    commune = session.get(Commune, hamlet.commune_id)
    assert commune is not None, "a hamlet's commune is a foreign key"
    return commune


def next_code(session: Session, commune_id: int) -> str:
    """Return the next free code for a household registered from the page in the commune."""
    taken = session.scalar(
        select(func.count())
        .select_from(Household)
        .where(Household.commune_id == commune_id, Household.code.startswith(CODE_PREFIX))
    )
    return f"{CODE_PREFIX}{(taken or 0) + 1:05d}"


def add(session: Session, row: SelfCheckApplication) -> None:
    session.add(row)
    session.flush()


def application_of_case(session: Session, case_id: int) -> SelfCheckApplication | None:
    return session.scalars(
        select(SelfCheckApplication).where(SelfCheckApplication.case_id == case_id)
    ).first()
