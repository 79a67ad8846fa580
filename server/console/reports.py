"""The reports: the hamlet table (households, poor and near-poor at the start of the year and
now, with the changes), the year's targets with progress in their units, the gap to them and
the what-if (per hamlet and for the commune, also as XLSX), the deprivation rates among the
poor and near-poor with bar charts, and the periodic bundles as XLSX or PDF through the
reports service and its renderers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from server.console.home import current_round
from server.console.i18n import N_, today
from server.console.jobs import BUNDLE_NAMES, panel
from server.console.rendering import ConsoleRoute, page
from server.console.session import Looker
from server.db import DbSession
from server.geography import service as geography
from server.ids import MAX_ID
from server.jobs.vocabulary import JobKind
from server.reports import gap as gaps
from server.reports import render, service
from server.reports.appendix_vii_files import forms_pdf, forms_xlsx
from server.reports.compute import BUNDLE_KINDS
from server.reports.gap_xlsx import gap_xlsx
from server.reports.helping import helping_list
from server.reports.helping_files import helping_pdf, helping_xlsx
from shared.errors import ErrorCode, RasoatError

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# The service targets as the console names them, by key and unit (the reports' own titles are
# the Vietnamese of the papers).
SERVICE_NAMES = {
    ("child_schooling", "children"): N_("No child out of school"),
    ("child_schooling", "households"): N_("No household with a child out of school"),
    ("health_insurance", "persons"): N_("Persons of near-poor households with health insurance"),
    ("health_insurance", "households"): N_("Near-poor households with health insurance"),
    ("housing_quality", "households"): N_("Poor households with a durable house"),
    ("housing_area", "households"): N_("Poor households with at least 8 m² per person"),
    ("latrine", "households"): N_("Poor households with a hygienic latrine"),
    ("water_source", "households"): N_("Poor households with safe water"),
    ("information_access", "households"): N_("Poor households with access to information"),
}
UNIT_NAMES = {
    "households": N_("households"),
    "persons": N_("persons"),
    "children": N_("children"),
}
# Appendix VII's forms for each period a commune reports on (server.reports.appendix_vii).
APPENDIX_VII_NAMES = {
    "six_monthly": N_("Appendix VII report forms, six-monthly"),
    "annual": N_("Appendix VII report forms, annual"),
}
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
    """The commune's hamlet table, targets with progress, gap to them with the what-if, and
    deprivation statistics for a year."""
    principal = viewer.principal
    chosen = _commune_id(session, viewer, commune_id)
    round_ = current_round(session, viewer)
    shown_year = year or (round_.year if round_ else today().year - 1)
    table = service.hamlet_table(session, principal, chosen, shown_year)
    deprivations = service.deprivations(session, principal, chosen, shown_year)
    targets = service.targets(session, principal, chosen, shown_year)
    found = gaps.gap(session, principal, chosen, shown_year)
    return page(
        request,
        viewer,
        "reports.html",
        {
            "nav_rounds": [round_] if round_ else [],
            "table": table,
            "stats": deprivations.commune,
            "targets": targets,
            "gap": found,
            "todo": {s.key: s for s in found.commune.services},
            "service_names": SERVICE_NAMES,
            "unit_names": UNIT_NAMES,
            "year": shown_year,
            "commune_id": chosen,
            "communes": geography.visible_communes(session, principal),
            "bundles": [(kind, BUNDLE_NAMES[kind]) for kind in BUNDLE_KINDS],
            "periods": list(APPENDIX_VII_NAMES.items()),
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


@router.get("/reports/appendix-vii")
def appendix_vii(
    session: DbSession,
    viewer: Looker,
    year: Annotated[int, Query(ge=2021, le=2100)],
    commune_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    period: Annotated[str, Query(pattern="^(six_monthly|annual)$")] = "annual",
    format: Annotated[str, Query(pattern="^(pdf|xlsx)$")] = "xlsx",
) -> Response:
    """Appendix VII's report forms of the commune (the same as the API's)."""
    forms = service.appendix_vii(session, viewer.principal, commune_id, year, period, today())
    content = forms_xlsx(forms) if format == "xlsx" else forms_pdf(forms)
    name = f"phu-luc-vii-{period}-{year}.{format}"
    return Response(
        content,
        media_type=FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/reports/helping-officers")
def helping_officers(
    session: DbSession,
    viewer: Looker,
    year: Annotated[int, Query(ge=2021, le=2100)],
    commune_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    format: Annotated[str, Query(pattern="^(pdf|xlsx)$")] = "xlsx",
) -> Response:
    """Seed 002's helping-officer list for the viewer's hamlets (the same as the API's)."""
    paper = helping_list(session, viewer.principal, commune_id, year, today())
    content = helping_xlsx(paper) if format == "xlsx" else helping_pdf(paper)
    return Response(
        content,
        media_type=FORMATS[format],
        headers={
            "Content-Disposition": f'attachment; filename="danh-sach-phu-trach-{year}.{format}"'
        },
    )


@router.get("/reports/gap")
def gap_workbook(
    session: DbSession,
    viewer: Looker,
    year: Annotated[int, Query(ge=2000, le=2100)],
    commune_id: Annotated[int, Query(ge=1, le=MAX_ID)],
) -> Response:
    """The gap to the year's targets as a workbook (the same as the API's ``?format=xlsx``)."""
    found = gaps.gap(session, viewer.principal, commune_id, year)
    return Response(
        gap_xlsx(found),
        media_type=FORMATS["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="khoang-cach-chi-tieu-{year}.xlsx"'},
    )
