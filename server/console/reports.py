"""The reports: the hamlet table (households, poor and near-poor at the start of the year and
now, with the changes), the deprivation rates among the poor and near-poor with bar charts,
and the periodic bundles as XLSX or PDF through the reports service and its renderers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from server.console.home import current_round
from server.console.i18n import today
from server.console.jobs import BUNDLE_NAMES, panel
from server.console.rendering import ConsoleRoute, page
from server.console.session import Looker
from server.db import DbSession
from server.geography import service as geography
from server.ids import MAX_ID
from server.jobs.vocabulary import JobKind
from server.reports import render, service
from server.reports.compute import BUNDLE_KINDS
from shared.errors import ErrorCode, RasoatError

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _commune_id(session: DbSession, viewer: Looker, commune_id: int | None) -> int:
    """Return the chosen commune, or the viewer's first (refused when outside the scope)."""
    principal = viewer.principal
    if commune_id is not None:
        return geography.visible_commune(session, principal, commune_id).id
    communes = geography.visible_communes(session, principal)
    if not communes:
        raise RasoatError(ErrorCode.NOT_FOUND, what="commune")
    return communes[0].id


@router.get("/reports")
def reports_page(
    request: Request,
    session: DbSession,
    viewer: Looker,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    commune_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The commune's hamlet table and deprivation statistics for a year."""
    principal = viewer.principal
    chosen = _commune_id(session, viewer, commune_id)
    round_ = current_round(session, viewer)
    shown_year = year or (round_.year if round_ else today().year - 1)
    table = service.hamlet_table(session, principal, chosen, shown_year)
    deprivations = service.deprivations(session, principal, chosen, shown_year)
    return page(
        request,
        viewer,
        "reports.html",
        {
            "nav_rounds": [round_] if round_ else [],
            "table": table,
            "stats": deprivations.commune,
            "year": shown_year,
            "commune_id": chosen,
            "communes": geography.visible_communes(session, principal),
            "bundles": [(kind, BUNDLE_NAMES[kind]) for kind in BUNDLE_KINDS],
            "panel": panel(request, session, viewer, JobKind.REPORT_BUNDLE, chosen),
        },
    )


@router.get("/reports/bundles/{kind}")
def bundle(
    kind: str,
    session: DbSession,
    viewer: Looker,
    year: Annotated[int, Query(ge=2000, le=2100)],
    commune_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    format: Annotated[str, Query(pattern="^(pdf|xlsx)$")] = "pdf",
) -> Response:
    """A periodic report of the commune as PDF or XLSX (the same as the API's bundle)."""
    data = service.bundle(session, viewer.principal, commune_id, year, kind)
    images = render.bundle_charts(data)
    content = (
        render.bundle_xlsx(data, images) if format == "xlsx" else render.bundle_pdf(data, images)
    )
    return Response(
        content,
        media_type=FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="bao-cao-{kind}-{year}.{format}"'},
    )
