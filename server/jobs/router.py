"""HTTP endpoints of the job queue: start a report bundle, a paper batch or a household
import (each answers 202 with the job), follow it, fetch its file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from server.auth.dependencies import HouseholdEditor, Reader, SignedIn
from server.db import DbSession
from server.errors import language
from server.ids import MAX_ID, PathId
from server.imports.columns import parse_mapping
from server.imports.schemas import ClassYear, CommitFlag, HeadingMap, ListFile
from server.imports.service import vietnam_today
from server.jobs import service
from server.jobs.models import Job
from server.jobs.schemas import BundleJobIn, JobOut, PaperBatchIn

router = APIRouter(prefix="/jobs", tags=["jobs"])


def _out(session: DbSession, job: Job, request: Request) -> JobOut:
    return JobOut.of(job, service.has_file(session, job), language(request))


def _started(session: DbSession, job: Job, request: Request, response: Response) -> JobOut:
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return _out(session, job, request)


@router.post("/report-bundles", response_model=JobOut, status_code=202)
def start_bundle(
    body: BundleJobIn,
    principal: SignedIn,
    session: DbSession,
    request: Request,
    response: Response,
) -> JobOut:
    """Queue a periodic report (six-monthly, annual, sector) as PDF or XLSX; the same report
    as ``GET /reports/communes/{id}/years/{year}/bundles/{kind}``, made by the worker."""
    job = service.start_bundle(
        session, principal, body.commune_id, body.year, body.kind, body.format
    )
    return _started(session, job, request, response)


@router.post("/paper-batches", response_model=JobOut, status_code=202)
def start_paper_batch(
    body: PaperBatchIn, principal: Reader, session: DbSession, request: Request, response: Response
) -> JobOut:
    """Queue a ZIP of a round's papers: a hamlet's postings, meeting minutes, applications
    and certificates; for the whole round also the commune office's posting and the
    decision."""
    job = service.start_paper_batch(session, principal, body.round_id, body.hamlet_id)
    return _started(session, job, request, response)


@router.post("/household-imports", response_model=JobOut, status_code=202)
def start_import(
    file: ListFile,
    commune_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    principal: HouseholdEditor,
    session: DbSession,
    request: Request,
    response: Response,
    year: ClassYear = None,
    commit: CommitFlag = False,
    mapping: HeadingMap = None,
) -> JobOut:
    """Queue the import of ``POST /imports/households`` (for a big file); the job's
    ``result`` is its preview, a refused commit ends failed with ``import_refused``."""
    today = vietnam_today()
    asked = service.ImportAsked(
        data=file.file.read(),
        filename=file.filename or "upload",
        mapping={k: v.value for k, v in parse_mapping(mapping or []).items()},
        year=year or today.year - 1,
        today=today,
        commit=commit,
    )
    job = service.start_import(session, principal, commune_id, asked)
    return _started(session, job, request, response)


@router.get("/{job_id}", response_model=JobOut)
def job(job_id: PathId, principal: SignedIn, session: DbSession, request: Request) -> JobOut:
    """A job you started: its state, progress (``done`` of ``total``, the stage in words),
    its error or its result, and where to download its file once done."""
    return _out(session, service.job_for(session, principal, job_id), request)


@router.get("/{job_id}/result", response_class=Response)
def result(job_id: PathId, principal: SignedIn, session: DbSession) -> Response:
    """The file a finished job made (``job_not_done`` before)."""
    found = service.result_for(session, principal, job_id)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )
