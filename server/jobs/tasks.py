"""What each kind of job does: the same services and renderers as the synchronous routes,
reporting their progress as they go. A task reads through ``read`` (sessions that hold no
write lock on SQLite) and writes through ``write``; it returns what it made."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.auth.policy import Permission, Principal, require_place
from server.auth.service import actor_of
from server.documents import render as papers_pdf
from server.geography import repository as geography
from server.imports import service as imports
from server.imports.columns import parse_mapping
from server.jobs.vocabulary import JobKind
from server.reports import render as reports_pdf
from server.reports import service as reports
from server.review import papers
from server.review import repository as review
from server.review import service as review_access
from shared.errors import ErrorCode, RasoatError

Progress = Callable[[str, int, int], None]
Sessions = Callable[[], AbstractContextManager[Session]]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"pdf": "application/pdf", "xlsx": XLSX}


@dataclass(frozen=True)
class Made:
    """A task's outcome: the file it gives back (name, media type, bytes), or a result to show
    (an import's preview), or both."""

    file: tuple[str, str, bytes] | None = None
    result: dict[str, Any] | None = None


@dataclass(frozen=True)
class Context:
    """What a task runs with: its parameters and input file, the principal it runs as (None:
    the operator), where it lives, database sessions and where to report progress."""

    params: dict[str, Any]
    principal: Principal | None
    commune_id: int
    read: Sessions
    write: Sessions
    progress: Progress
    # Marks the job done in the caller's session, so a task that writes (an import) commits
    # its writes and the job's end together: a worker that dies between them cannot leave
    # an import written and its job taken again. Raises LeaseLost when another worker holds
    # the job now.
    complete: Callable[[Session, Made], None]
    input: tuple[str, bytes] | None = None


# The bundle's own five steps (reports.service.bundle), then the charts and the file.
BUNDLE_STEPS = 7


def report_bundle(context: Context) -> Made:
    """Return a periodic report as PDF or XLSX."""
    year, kind, file_format = (context.params[k] for k in ("year", "kind", "format"))

    def step(name: str, done: int, _total: int) -> None:
        context.progress(name, done, BUNDLE_STEPS)

    with context.read() as session:
        data = reports.bundle(session, context.principal, context.commune_id, year, kind, step)
    context.progress("charts", 5, BUNDLE_STEPS)
    images = reports_pdf.bundle_charts(data)
    context.progress("render", 6, BUNDLE_STEPS)
    content = (
        reports_pdf.bundle_xlsx(data, images)
        if file_format == "xlsx"
        else reports_pdf.bundle_pdf(data, images)
    )
    context.progress("render", BUNDLE_STEPS, BUNDLE_STEPS)
    return Made(file=(f"bao-cao-{kind}-{year}.{file_format}", MEDIA[file_format], content))


PaperStep = tuple[str, str, Callable[[], bytes]]


def _posting(session: Session, principal: Principal, round_id: int, hamlet_id: int | None) -> bytes:
    return papers_pdf.posting_list(papers.posting_list(session, principal, round_id, hamlet_id))


def _minutes(session: Session, principal: Principal, meeting_id: int) -> bytes:
    return papers_pdf.minutes(papers.minutes(session, principal, meeting_id))


def _application(session: Session, principal: Principal, case_id: int) -> bytes:
    return papers_pdf.application(papers.application(session, principal, case_id))


def _certificates(
    session: Session, principal: Principal, round_id: int, case_ids: list[int]
) -> bytes:
    found = [
        paper
        for case_id in case_ids
        for paper in papers.certificates(session, principal, round_id, case_id)
    ]
    return papers_pdf.certificates(found)


def _decision(session: Session, principal: Principal, round_id: int) -> bytes:
    return papers_pdf.decision(papers.decision(session, principal, round_id))


def _hamlet_papers(
    session: Session, principal: Principal, round_id: int, hamlet_id: int, folder: str
) -> Iterator[PaperStep]:
    """Yield (stage, file name, maker) of the papers a hamlet has in the round so far."""
    postings = [p for p in review.postings_of(session, round_id) if p.hamlet_id == hamlet_id]
    if postings:
        yield (
            "posting",
            f"{folder}/niem-yet.pdf",
            partial(_posting, session, principal, round_id, hamlet_id),
        )
    for meeting in review.meetings_of(session, round_id, hamlet_id):
        yield (
            "minutes",
            f"{folder}/bien-ban-hop-{meeting.held_on:%Y-%m-%d}-{meeting.id}.pdf",
            partial(_minutes, session, principal, meeting.id),
        )
    cases = review.cases_of_round(session, round_id, hamlet_id)
    for case in cases:
        if case.application in ("form01", "form04"):
            yield (
                "applications",
                f"{folder}/giay-de-nghi-{case.id}.pdf",
                partial(_application, session, principal, case.id),
            )
    certified = [c.id for c in cases if c.certificate_number is not None]
    if certified:
        yield (
            "certificates",
            f"{folder}/giay-chung-nhan.pdf",
            partial(_certificates, session, principal, round_id, certified),
        )


def paper_batch(context: Context) -> Made:
    """Return a ZIP of a round's papers, a folder per hamlet (the hamlet's alone when the job
    names one), with the commune office's posting and the decision for the whole round."""
    assert context.principal is not None, "paper batches are started by a signed-in user"
    principal = context.principal
    round_id: int = context.params["round_id"]
    hamlet_id: int | None = context.params["hamlet_id"]
    archive = io.BytesIO()
    with context.read() as session, zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        round_ = review_access.round_for(session, principal, Permission.READ_REGISTRY, round_id)
        if hamlet_id is None:
            hamlets = review.hamlets_of_commune(session, round_.commune_id)
        else:
            hamlet = geography.hamlet(session, hamlet_id)
            assert hamlet is not None
            hamlets = [hamlet]
        for hamlet in hamlets:
            require_place(principal, Permission.READ_REGISTRY, geography.place_of(hamlet))
        steps: list[PaperStep] = []
        for hamlet in hamlets:
            steps += _hamlet_papers(session, principal, round_id, hamlet.id, hamlet.code)
        if hamlet_id is None:
            if any(p.hamlet_id is None for p in review.postings_of(session, round_id)):
                office = partial(_posting, session, principal, round_id, None)
                steps.append(("posting", "niem-yet-tai-xa.pdf", office))
            if round_.decision_number is not None:
                decision = partial(_decision, session, principal, round_id)
                steps.append(("decision", "quyet-dinh.pdf", decision))
        total = len(steps) + 1
        for done, (stage, name, make) in enumerate(steps):
            context.progress(stage, done, total)
            out.writestr(name, make())
        context.progress("packing", len(steps), total)
    where = "xa" if hamlet_id is None else str(hamlet_id)
    context.progress("packing", total, total)
    return Made(file=(f"giay-to-dot-{round_id}-{where}.zip", "application/zip", archive.getvalue()))


def _preview(preview: imports.Preview) -> dict[str, Any]:
    """Return an import's preview as the API's ``ImportPreview`` holds it, with each refusal's
    message in both languages."""
    return {
        "commune_id": preview.commune_id,
        "year": preview.year,
        "committed": preview.committed,
        "file_sha256": preview.file_sha256,
        "counts": dict(preview.counts()),
        "households": [
            {"code": o.code, "row": o.row, "action": o.action, "changes": list(o.changes)}
            for o in preview.outcomes
        ],
        "refusals": [
            {
                "row": r.row,
                "column": r.column,
                "problem": r.problem.value,
                "detail": r.detail,
                "message": {"vi": r.message("vi"), "en": r.message("en")},
            }
            for r in preview.refusals
        ],
        "ignored_columns": preview.ignored,
    }


def household_import(context: Context) -> Made:
    """Preview, or with ``commit`` write, a household list: the import of the synchronous
    route, in one transaction."""
    assert context.input is not None, "an import job keeps its file until it ends"
    filename, data = context.input
    params = context.params
    asked = imports.ImportRequest(
        data=data,
        filename=filename,
        mapping=parse_mapping(params["mapping"]),
        year=params["year"],
        today=date.fromisoformat(params["today"]),
    )
    commit = bool(params["commit"])
    context.progress("writing" if commit else "reading", 0, 1)
    with context.write() as session:
        if context.principal is None:
            commune = geography.commune(session, context.commune_id)
            if commune is None:
                raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {context.commune_id}")
            preview = imports.import_households(session, SYSTEM, commune, asked, commit)
        else:
            principal = context.principal
            preview = imports.import_for(
                session, principal, actor_of(principal), context.commune_id, asked, commit
            )
        made = Made(result=_preview(preview))
        context.complete(session, made)
        session.commit()
    return made


TASKS: dict[JobKind, Callable[[Context], Made]] = {
    JobKind.REPORT_BUNDLE: report_bundle,
    JobKind.PAPER_BATCH: paper_batch,
    JobKind.HOUSEHOLD_IMPORT: household_import,
}
