"""Province → commune → hamlet. Communes keep the district and codes they had before the
two-tier reform of 1 July 2025 so older records still resolve."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, Json, UtcDateTime, utcnow


class Province(Base):
    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Commune(Base):
    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    legacy_district_code: Mapped[str | None] = mapped_column(String(16))
    legacy_district_name: Mapped[str | None] = mapped_column(String(120))
    legacy_commune_code: Mapped[str | None] = mapped_column(String(16))
    # One of the six socio-economic regions (shared.score_a.Region): the points of a Phiếu B1
    # score table differ by region. None until set; a round by score needs it when its table
    # gives points by region. Urban or rural is the hamlet's (``Hamlet.area``): a commune
    # merged in 2025 may hold both khu phố and thôn.
    region: Mapped[str | None] = mapped_column(String(32))

    province: Mapped[Province] = relationship(lazy="joined")


class Hamlet(Base):
    __tablename__ = "hamlets"
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(8))
    boundary: Mapped[dict[str, Any] | None] = mapped_column(Json)
    # Hamlets are merged, not deleted (the 2026 reorganisation of thôn and tổ dân phố): a
    # merged-away hamlet keeps its row, households' past years still name it, and it is
    # valid until the day before ``retired_on``. None: valid since before records began / still.
    valid_from: Mapped[date | None]
    retired_on: Mapped[date | None]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id"))

    commune: Mapped[Commune] = relationship(lazy="joined")


class HamletChange(Base):
    """One reorganisation of a commune's hamlets: a merge (``parts`` went into ``hamlet_id``,
    which is one of them or a new hamlet) or a rename of ``hamlet_id``; from ``effective_on``."""

    __tablename__ = "hamlet_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), index=True)
    effective_on: Mapped[date]
    # Each hamlet as it was before: [{"id", "code", "name"}], the kept or renamed one included.
    parts: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    households: Mapped[int]
    users: Mapped[int]
    made_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
