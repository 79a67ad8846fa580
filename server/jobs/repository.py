"""Every query of the job queue's tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from server.jobs.models import Job, JobFile
from server.jobs.vocabulary import JobState


def add(session: Session, row: Job | JobFile) -> None:
    session.add(row)
    session.flush()


def job(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def next_claimable(session: Session, now: datetime) -> Job | None:
    """Return the oldest job waiting, or running on a lease that ran out, locked for this
    transaction. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several workers claim at once
    without taking the same job or waiting on each other; SQLite ignores the clause, and its
    transactions here begin IMMEDIATE (server.db), so one claimer runs at a time."""
    waiting = or_(
        Job.state == JobState.QUEUED.value,
        and_(Job.state == JobState.RUNNING.value, Job.lease_until < now),
    )
    return session.scalars(
        select(Job).where(waiting).order_by(Job.id).limit(1).with_for_update(skip_locked=True)
    ).first()


def held(session: Session, job_id: int, claim: str) -> Job | None:
    """Return the job, locked, while ``claim`` still holds it; None once another worker took
    it over (the lease ran out) or it ended."""
    return session.scalars(
        select(Job)
        .where(Job.id == job_id, Job.claim == claim, Job.state == JobState.RUNNING.value)
        .with_for_update()
    ).first()


def renew(session: Session, job_id: int, claim: str, values: dict[str, Any]) -> bool:
    """Write ``values`` (the lease, the progress) to the job while ``claim`` holds it; return
    False when it no longer does."""
    changed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.claim == claim, Job.state == JobState.RUNNING.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(changed, "rowcount", 0))


def file_of(session: Session, job_id: int, purpose: str) -> JobFile | None:
    return session.get(JobFile, (job_id, purpose))


def drop_file(session: Session, job_id: int, purpose: str) -> None:
    session.execute(delete(JobFile).where(JobFile.job_id == job_id, JobFile.purpose == purpose))


def purge(session: Session, finished_before: datetime) -> int:
    """Delete the jobs that finished before ``finished_before`` and their files; return how
    many."""
    old = select(Job.id).where(Job.finished_at < finished_before)
    session.execute(delete(JobFile).where(JobFile.job_id.in_(old)))
    gone = session.execute(
        delete(Job)
        .where(Job.finished_at < finished_before)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(gone, "rowcount", 0))


def has_file(session: Session, job_id: int, purpose: str) -> bool:
    found = session.scalar(
        select(JobFile.job_id).where(JobFile.job_id == job_id, JobFile.purpose == purpose)
    )
    return found is not None


def jobs_of(session: Session, user_id: int, kind: str, commune_id: int, limit: int) -> list[Job]:
    """Return the user's latest jobs of ``kind`` in a commune, newest first."""
    return list(
        session.scalars(
            select(Job)
            .where(Job.requested_by == user_id, Job.kind == kind, Job.commune_id == commune_id)
            .order_by(Job.id.desc())
            .limit(limit)
        )
    )
