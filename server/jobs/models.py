"""The job queue's tables: one row per job (its parameters, state, lease and progress) and the
files it takes in or gives back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Json, UtcDateTime, utcnow


class Job(Base):
    """A piece of work for the worker. ``commune_id`` and ``hamlet_id`` are where the thing it
    makes lives (its scope); ``requested_by`` and ``device_id`` the principal it runs as (None:
    the operator at the command line). ``claim`` names the worker's current hold on it, good
    until ``lease_until``: a worker that stops renewing it loses the job to the next."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_lease_until", "state", "lease_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(Json)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    claim: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    stage: Mapped[str] = mapped_column(String(32))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # What a job gives back besides a file (an import's preview), and a failed job's catalog
    # error (code and detail).
    result: Mapped[dict[str, Any] | None] = mapped_column(Json)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_detail: Mapped[dict[str, Any] | None] = mapped_column(Json)


class JobFile(Base):
    """A file a job takes in (``input``: an uploaded household list, dropped once the job
    ends) or gives back (``result``: written in the same transaction that marks the job done,
    so a result is whole or absent)."""

    __tablename__ = "job_files"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(127))
    content: Mapped[bytes] = mapped_column(LargeBinary)
