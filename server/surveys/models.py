"""Surveys submitted from tablets, kept whole: answers and the derived household document (the
engine's result is its classification's, ``server.households.models.Classification``); the
surveys whose GPS point lies outside their hamlet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Json, UtcDateTime, utcnow


class Survey(Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Chosen by the tablet, so a retried upload is recognised instead of stored twice.
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(Json)
    household_document: Mapped[dict[str, Any]] = mapped_column(Json)
    enumerator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    photos: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)


class GeofenceFlag(Base):
    """A survey whose GPS point lies outside its hamlet beyond the fix's accuracy."""

    __tablename__ = "sync_geofence_flags"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), primary_key=True)
    hamlet_id: Mapped[int] = mapped_column(Integer, index=True)
    distance_m: Mapped[float]
    accuracy_m: Mapped[float | None]
    flagged_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
