"""SQL of surveys and their geofence flags."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.surveys.models import GeofenceFlag, Survey


def by_uuid(session: Session, uuid: str) -> Survey | None:
    return session.scalars(select(Survey).where(Survey.uuid == uuid)).first()


def survey(session: Session, survey_id: int) -> Survey | None:
    return session.get(Survey, survey_id)


def of_household(session: Session, household_id: int) -> list[Survey]:
    """Return the household's surveys, newest first."""
    return list(
        session.scalars(
            select(Survey).where(Survey.household_id == household_id).order_by(Survey.id.desc())
        )
    )


def add(session: Session, row: Survey | GeofenceFlag) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()
