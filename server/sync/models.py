"""Tables of the sync protocol: pushed records by idempotency key, queued conflicts and received
photos (the change sequence is server.changes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Json, UtcDateTime, utcnow


class PushedRecord(Base):
    """A record a device pushed, by the UUID the device gave it, with what became of it."""

    __tablename__ = "sync_records"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    content_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    household_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[dict[str, Any]] = mapped_column(Json)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Conflict(Base):
    """Overlapping edits of a household: the server's values stand, the device's are kept here
    until a commune officer chooses."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    hamlet_id: Mapped[int] = mapped_column(Integer, index=True)
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    base_version: Mapped[int | None] = mapped_column(BigInteger)
    # {path: {"base": ..., "server": ..., "device": ...}}
    fields: Mapped[dict[str, Any]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[dict[str, Any] | None] = mapped_column(Json)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Photo(Base):
    """A photo received whole and verified; the bytes live in the data folder under their
    SHA-256, so the same photo is stored once."""

    __tablename__ = "sync_photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    hamlet_id: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
