"""Background jobs in the console: the reports page and the round's tracker start them
(periodic reports, the round's papers), and show the viewer's latest with their progress.
The progress panel refreshes itself every two seconds with htmx while a job runs, and the
whole page every five seconds without JavaScript; the file is downloaded once whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from server.console.i18n import N_
from server.console.rendering import ConsoleRoute, page, redirect, translate
from server.console.session import Actor, Looker, Viewer
from server.db import DbSession
from server.geography import repository as geography
from server.ids import MAX_ID, PathId
from server.jobs import service
from server.jobs.schemas import JobOut
from server.jobs.vocabulary import FINISHED, JobKind

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

BUNDLE_NAMES = {
    "six_monthly": N_("Six-monthly report"),
    "annual": N_("Annual report"),
    "sector": N_("Sector reports"),
}


@dataclass(frozen=True)
class JobLine:
    """A job as the panel shows it: what it makes, and its state in the viewer's words."""

    title: str
    job: JobOut

    @property
    def running(self) -> bool:
        return self.job.state not in FINISHED


@dataclass(frozen=True)
class Panel:
    """The viewer's latest jobs of one kind in a commune, and the address that redraws it."""

    lines: list[JobLine]
    url: str

    @property
    def running(self) -> bool:
        return any(line.running for line in self.lines)


def _title(request: Request, session: DbSession, out: JobOut, params: dict[str, object]) -> str:
    if out.kind is JobKind.REPORT_BUNDLE:
        name = translate(request, BUNDLE_NAMES.get(str(params["kind"]), str(params["kind"])))
        return f"{name} {params['year']} ({str(params['format']).upper()})"
    if out.kind is JobKind.HOUSEHOLD_IMPORT:
        return translate(request, "Household list %(file)s") % {"file": params["filename"]}
    hamlet_id = params.get("hamlet_id")
    if hamlet_id is None:
        return translate(request, "Papers of the whole round")
    hamlet = geography.hamlet(session, int(str(hamlet_id)))
    return translate(request, "Papers of %(hamlet)s") % {"hamlet": hamlet.name if hamlet else ""}


def panel(
    request: Request, session: DbSession, viewer: Viewer, kind: JobKind, commune_id: int
) -> Panel:
    """Return the viewer's latest jobs of ``kind`` in the commune."""
    lines = []
    for job in service.recent(session, viewer.principal, kind, commune_id):
        out = JobOut.of(job, service.has_file(session, job), viewer.lang)
        lines.append(JobLine(_title(request, session, out, job.params), out))
    return Panel(lines, f"/jobs/panel?kind={kind.value}&commune_id={commune_id}")


@router.get("/jobs/panel")
def jobs_panel(
    request: Request,
    session: DbSession,
    viewer: Looker,
    kind: JobKind,
    commune_id: Annotated[int, Query(ge=1, le=MAX_ID)],
) -> Response:
    """The progress panel alone, for htmx to swap in."""
    return page(
        request,
        viewer,
        "jobs_panel.html",
        {"panel": panel(request, session, viewer, kind, commune_id)},
    )


@router.get("/jobs/{job_id}/file")
def job_file(job_id: PathId, session: DbSession, viewer: Looker) -> Response:
    """The file of a finished job the viewer started."""
    found = service.result_for(session, viewer.principal, job_id)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


@router.post("/reports/bundles/{kind}/jobs")
def start_bundle(
    kind: str,
    request: Request,
    session: DbSession,
    viewer: Actor,
    year: Annotated[int, Form(ge=2000, le=2100)],
    commune_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    format: Annotated[str, Form(pattern="^(pdf|xlsx)$")] = "pdf",
) -> Response:
    """Queue a periodic report; back to the reports page, which shows its progress."""
    service.start_bundle(session, viewer.principal, commune_id, year, kind, format)
    return redirect(
        request,
        viewer,
        f"/reports?year={year}&commune_id={commune_id}#jobs",
        translate(request, "The report is being prepared"),
    )


@router.post("/rounds/{round_id}/papers/jobs")
def start_papers(
    round_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    hamlet_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Queue the papers of a hamlet (or of the whole round) as one ZIP; back to the
    tracker, which shows its progress."""
    chosen = int(hamlet_id) if hamlet_id.isdigit() and int(hamlet_id) <= MAX_ID else None
    service.start_paper_batch(session, viewer.principal, round_id, chosen)
    return redirect(
        request,
        viewer,
        f"/rounds/{round_id}#jobs",
        translate(request, "The papers are being prepared"),
    )
