"""Users, their role and scope, and the devices they sign in from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, UtcDateTime, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    scope_kind: Mapped[str] = mapped_column(String(16))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Access tokens carry the generation they were issued in; ending the user's sessions
    # (also on disabling the account or resetting its password) moves it on, refusing them.
    session_generation: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    hamlets: Mapped[list[UserHamlet]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class UserHamlet(Base):
    """A hamlet assigned to a user whose scope is ``hamlets``."""

    __tablename__ = "user_hamlets"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), primary_key=True)


class Device(Base):
    """A tablet or browser a user signed in from; its refresh token is bound to it."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("user_id", "install_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    install_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64))
    refresh_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The token the last refresh retired, accepted again until ``refresh_rotated_at`` plus the
    # grace period in case that refresh's answer never reached the device.
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64))
    refresh_rotated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SignInAttempts(Base):
    """Failed sign-ins counted per account name and per network address, whether or not the
    account exists, so a lock-out answers the same for a username that does not."""

    __tablename__ = "sign_in_attempts"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
