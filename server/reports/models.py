"""Year-end targets a commune sets itself: poor and near-poor counts for the commune and each
hamlet, and the basic-service access percentages (seed 003's defaults when none is set)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utcnow


class CommuneTarget(Base):
    """The poor and near-poor households a commune aims to have left at the end of ``year``."""

    __tablename__ = "report_commune_targets"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    poor: Mapped[int | None]
    near_poor: Mapped[int | None]
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class HamletTarget(Base):
    """A hamlet's share of its commune's target (seed 003, Phụ lục 01)."""

    __tablename__ = "report_hamlet_targets"

    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    poor: Mapped[int | None]
    near_poor: Mapped[int | None]
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ServiceTargetRow(Base):
    """A commune's own percentage for one basic-service access target, replacing the
    default, and the unit it counts (``shared.vocabulary.TargetUnit``)."""

    __tablename__ = "report_service_targets"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    percent: Mapped[float]
    # households, persons or children: seed 003 counts the near-poor's health insurance in
    # persons ("khẩu") and schooling in children (compute.SERVICE_TITLES).
    unit: Mapped[str] = mapped_column(String(16))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
