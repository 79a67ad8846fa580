"""Province → commune → hamlet. Communes keep the district and codes they had before the
two-tier reform of 1 July 2025 so older records still resolve."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, Json


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

    commune: Mapped[Commune] = relationship(lazy="joined")
