"""SQL of the loaded score tables."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.classification.models import ScoreTableRow


def score_tables(session: Session) -> list[ScoreTableRow]:
    """Return every loaded score table, oldest first."""
    return list(session.scalars(select(ScoreTableRow).order_by(ScoreTableRow.id)))


def score_table(session: Session, code: str) -> ScoreTableRow | None:
    return session.scalars(select(ScoreTableRow).where(ScoreTableRow.code == code)).first()


def add(session: Session, row: ScoreTableRow) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()
