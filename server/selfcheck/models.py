"""What a household sent from the self-check page: kept only with its consent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Json, UtcDateTime, utcnow


class SelfCheckApplication(Base):
    """An application sent from ``/tu-danh-gia``: the case it became in the commune's round,
    the phone number to call back and the answers as the household gave them."""

    __tablename__ = "selfcheck_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), unique=True)
    phone: Mapped[str] = mapped_column(String(15))
    # The rasoat.household/1 document and the page's classification of it, as sent.
    answers: Mapped[dict[str, Any]] = mapped_column(Json)
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    consented_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
