"""The Phiếu B1 score tables a province loaded (``rasoat standards load-score-table``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utcnow


class ScoreTableRow(Base):
    """A loaded score table, kept as the text it was loaded from: a table is never changed
    once loaded (a round names it), a new one gets a new id."""

    __tablename__ = "score_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    province_code: Mapped[str | None] = mapped_column(String(16))
    form: Mapped[str | None] = mapped_column(String(80))
    example_only: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
