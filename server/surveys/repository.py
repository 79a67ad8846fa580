"""SQL of survey submissions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.surveys.models import GeofenceFlag, Submission


def by_uuid(session: Session, uuid: str) -> Submission | None:
    return session.scalars(select(Submission).where(Submission.uuid == uuid)).first()


def submission(session: Session, submission_id: int) -> Submission | None:
    return session.get(Submission, submission_id)


def of_household(session: Session, household_id: int) -> list[Submission]:
    """Return the household's submissions, newest first."""
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.household_id == household_id)
            .order_by(Submission.id.desc())
        )
    )


def add(session: Session, row: Submission | GeofenceFlag) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()
