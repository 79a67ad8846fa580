"""Starting background jobs and reading them back, within the principal's scope.

A job is checked twice against its principal: when it is started (the same checks as the
synchronous routes, so a refusal answers at once) and when the worker runs it (the principal
is rebuilt from the user, who may have lost the role meanwhile). Its result is read only by
the user who started it, still holding the permission at its place: the file was made with
that user's rights (national ids shown or masked), so another user's rights say nothing of
whether they may read it. The operator at the command line (``principal`` None) sees every
job. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.auth.policy import Permission, Place, Principal, require, require_place
from server.geography import repository as geography
from server.geography.models import Commune
from server.jobs import repository
from server.jobs.models import Job, JobFile
from server.jobs.vocabulary import JobKind, JobState
from server.reports.compute import BUNDLE_KINDS
from server.review import service as review
from shared.errors import ErrorCode, RasoatError

INPUT = "input"
RESULT = "result"
BUNDLE_FORMATS = ("pdf", "xlsx")
PERMISSION = {
    JobKind.REPORT_BUNDLE: Permission.READ_REPORTS,
    JobKind.PAPER_BATCH: Permission.READ_REGISTRY,
    JobKind.HOUSEHOLD_IMPORT: Permission.EDIT_HOUSEHOLDS,
}


def _commune(session: Session, commune_id: int) -> Commune:
    commune = geography.commune(session, commune_id)
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {commune_id}")
    return commune


def _queue(
    session: Session,
    principal: Principal | None,
    kind: JobKind,
    place: Place,
    params: dict[str, Any],
) -> Job:
    job = Job(
        kind=kind.value,
        state=JobState.QUEUED.value,
        params=params,
        commune_id=place.commune_id,
        hamlet_id=place.hamlet_id,
        requested_by=None if principal is None else principal.user_id,
        device_id=None if principal is None else principal.device_id,
        attempts=0,
        stage="queued",
        done=0,
        total=0,
    )
    repository.add(session, job)
    return job


def start_bundle(
    session: Session,
    principal: Principal | None,
    commune_id: int,
    year: int,
    kind: str,
    file_format: str,
) -> Job:
    """Queue the periodic report ``kind`` of the commune for ``year`` as PDF or XLSX; raise
    NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE or UNKNOWN_REPORT as the report itself would."""
    commune = _commune(session, commune_id)
    place = geography.place_of_commune(commune)
    if principal is not None:
        require_place(principal, Permission.READ_REPORTS, place)
    if kind not in BUNDLE_KINDS:
        raise RasoatError(ErrorCode.UNKNOWN_REPORT, kind=kind, kinds=", ".join(BUNDLE_KINDS))
    if file_format not in BUNDLE_FORMATS:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"format {file_format}")
    params = {"year": year, "kind": kind, "format": file_format}
    return _queue(session, principal, JobKind.REPORT_BUNDLE, place, params)


def start_paper_batch(
    session: Session, principal: Principal, round_id: int, hamlet_id: int | None
) -> Job:
    """Queue every paper of a round for one hamlet (its postings, meeting minutes,
    applications and certificates), or with ``hamlet_id`` None for the whole commune (its
    hamlets' papers, the commune office's posting and the decision: commune users only)."""
    round_ = review.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    commune = _commune(session, round_.commune_id)
    if hamlet_id is None:
        place = geography.place_of_commune(commune)
    else:
        hamlet = geography.hamlet(session, hamlet_id)
        if hamlet is None or hamlet.commune_id != commune.id:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {hamlet_id} of the round")
        place = geography.place_of(hamlet)
    require_place(principal, Permission.READ_REGISTRY, place)
    params = {"round_id": round_id, "hamlet_id": hamlet_id}
    return _queue(session, principal, JobKind.PAPER_BATCH, place, params)


@dataclass(frozen=True)
class ImportAsked:
    """A household list to import: the file, its column mapping (heading → field), the year
    of its class column, the day it was sent, and whether to write it."""

    data: bytes
    filename: str
    mapping: dict[str, str]
    year: int
    today: date
    commit: bool


def start_import(
    session: Session, principal: Principal, commune_id: int, asked: ImportAsked
) -> Job:
    """Queue importing a household list into a commune the principal runs the review of
    (the checks of ``imports.service.import_for``); the file is kept until the job ends."""
    commune = _commune(session, commune_id)
    place = geography.place_of_commune(commune)
    require(principal, Permission.MANAGE_REVIEW)
    require_place(principal, Permission.EDIT_HOUSEHOLDS, place)
    params = {
        "filename": asked.filename,
        "mapping": asked.mapping,
        "year": asked.year,
        "today": asked.today.isoformat(),
        "commit": asked.commit,
    }
    job = _queue(session, principal, JobKind.HOUSEHOLD_IMPORT, place, params)
    csv = asked.filename.lower().endswith(".csv")
    media_type = "text/csv" if csv else "application/octet-stream"
    repository.add(
        session,
        JobFile(
            job_id=job.id,
            purpose=INPUT,
            filename=asked.filename[:255],
            media_type=media_type,
            content=asked.data,
        ),
    )
    return job


def place_of_job(session: Session, job: Job) -> Place:
    """Return where the thing the job makes lives."""
    commune = _commune(session, job.commune_id)
    return Place(job.hamlet_id, commune.id, commune.province_id)


def job_for(session: Session, principal: Principal | None, job_id: int) -> Job:
    """Return the job the principal started, while they still hold its permission at its
    place; NOT_FOUND for any other job (whose existence is nobody else's business)."""
    job = repository.job(session, job_id)
    if job is None or (principal is not None and job.requested_by != principal.user_id):
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"job {job_id}")
    if principal is not None:
        require_place(principal, PERMISSION[JobKind(job.kind)], place_of_job(session, job))
    return job


def result_for(session: Session, principal: Principal | None, job_id: int) -> JobFile:
    """Return the file a finished job made; JOB_NOT_DONE before it is done (or when it
    failed), NOT_FOUND for a job that makes no file."""
    job = job_for(session, principal, job_id)
    if job.state != JobState.DONE.value:
        raise RasoatError(ErrorCode.JOB_NOT_DONE, job=job.id, state=job.state)
    found = repository.file_of(session, job.id, RESULT)
    if found is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"a file of job {job_id}")
    return found


def has_file(session: Session, job: Job) -> bool:
    """Return True when the job is done and gave back a file."""
    return job.state == JobState.DONE.value and repository.has_file(session, job.id, RESULT)


def recent(
    session: Session, principal: Principal, kind: JobKind, commune_id: int, limit: int = 5
) -> list[Job]:
    """Return the principal's latest jobs of ``kind`` in a commune, newest first (the console
    shows them on the page that starts them)."""
    return repository.jobs_of(session, principal.user_id, kind.value, commune_id, limit)
