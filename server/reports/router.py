"""HTTP endpoints of the reports: the hamlet table (JSON, CSV, XLSX, PDF), deprivation
statistics, targets and their progress, the lists, periodic bundles and the province roll-up.

Every report answers in one request. The hamlet table and the statistics are grouped in SQL
and answer within two seconds for a province of a million households (``bench/reports.py``);
a bundle's stage timings come back in the ``Server-Timing`` header, and the command line
(``rasoat report bundle``) prints progress for the long ones.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from server.auth.dependencies import SignedIn
from server.auth.service import actor_of
from server.clock import Today
from server.db import DbSession
from server.ids import PathId
from server.reports import gap as gaps
from server.reports import render, service
from server.reports.appendix_vii_files import forms_pdf, forms_xlsx
from server.reports.gap_xlsx import gap_xlsx
from server.reports.helping import helping_list
from server.reports.helping_files import helping_pdf, helping_xlsx
from server.reports.schemas import TargetsIn

router = APIRouter(prefix="/reports", tags=["reports"])

YearPath = Annotated[int, Path(ge=2021, le=2100)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


class BundleFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


class GapFormat(StrEnum):
    JSON = "json"
    XLSX = "xlsx"


class Period(StrEnum):
    SIX_MONTHLY = "six_monthly"
    ANNUAL = "annual"


class BundleKind(StrEnum):
    SIX_MONTHLY = "six_monthly"
    ANNUAL = "annual"
    SECTOR = "sector"


def _file(content: bytes | str, media_type: str, name: str, **headers: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', **headers},
    )


def _json(data: Any) -> Response:
    return Response(
        json.dumps(render.plain(data), ensure_ascii=False), media_type="application/json"
    )


@router.get("/communes/{commune_id}/years/{year}/hamlet-table")
def hamlet_table(
    commune_id: PathId,
    year: YearPath,
    principal: SignedIn,
    session: DbSession,
    format: TableFormat = TableFormat.JSON,
) -> Response:
    """Per hamlet: households, poor and near-poor (count, %) at the start of the year and now,
    the changes (exited, newly poor, fell back), and the commune's total."""
    table = service.hamlet_table(session, principal, commune_id, year)
    name = f"bang-thon-{table.commune_code}-{year}"
    if format is TableFormat.CSV:
        return _file(render.to_csv(table), "text/csv; charset=utf-8", f"{name}.csv")
    if format is TableFormat.XLSX:
        return _file(render.table_xlsx(table), XLSX, f"{name}.xlsx")
    if format is TableFormat.PDF:
        return _file(render.table_pdf(table), "application/pdf", f"{name}.pdf")
    return _json(table)


@router.get("/communes/{commune_id}/years/{year}/deprivations")
def deprivations(
    commune_id: PathId,
    year: YearPath,
    principal: SignedIn,
    session: DbSession,
    k: Annotated[int, Query(ge=1, le=20)] = service.DEFAULT_K,
) -> Response:
    """Headcount and rate of each indicator among poor and near-poor households, for the
    commune and per hamlet; Alkire–Foster M0 = H × A at cut-off ``k``; special groups and
    causes of poverty where recorded."""
    return _json(service.deprivations(session, principal, commune_id, year, k))


@router.get("/communes/{commune_id}/years/{year}/targets")
def targets(
    commune_id: PathId, year: YearPath, principal: SignedIn, session: DbSession
) -> Response:
    """The year's targets (poverty counts per commune and hamlet, basic-service access) and
    progress computed from the registry."""
    return _json(service.targets(session, principal, commune_id, year))


@router.put("/communes/{commune_id}/years/{year}/targets")
def set_targets(
    commune_id: PathId, year: YearPath, body: TargetsIn, principal: SignedIn, session: DbSession
) -> Response:
    """Set the commune's targets for the year (those given replace the stored ones)."""
    data = service.TargetData(
        None
        if body.commune is None
        else service.TargetCounts(body.commune.poor, body.commune.near_poor),
        {code: service.TargetCounts(c.poor, c.near_poor) for code, c in body.hamlets.items()},
        {
            key: service.ServiceSetting(percent, unit)
            for key, (percent, unit) in body.service_settings().items()
        },
    )
    found = service.set_targets(session, principal, actor_of(principal), commune_id, year, data)
    return _json(found)


@router.get("/communes/{commune_id}/years/{year}/gap")
def gap(
    commune_id: PathId,
    year: YearPath,
    principal: SignedIn,
    session: DbSession,
    format: GapFormat = GapFormat.JSON,
) -> Response:
    """What it takes to reach the year's targets, per hamlet and for the commune, in units
    people can budget (latrines, houses, water sources, health-insurance cards …), and the
    what-if once every action is done (households leaving poverty, the new rates); JSON, or a
    workbook with ``format=xlsx``."""
    found = gaps.gap(session, principal, commune_id, year)
    if format is GapFormat.XLSX:
        return _file(gap_xlsx(found), XLSX, f"khoang-cach-chi-tieu-{year}.xlsx")
    return _json(found)


@router.get("/communes/{commune_id}/years/{year}/lists")
def lists(commune_id: PathId, year: YearPath, principal: SignedIn, session: DbSession) -> Response:
    """The poor and near-poor households with their members."""
    return _json(service.lists(session, principal, commune_id, year))


@router.get("/communes/{commune_id}/years/{year}/bundles/{kind}")
def bundle(
    commune_id: PathId,
    year: YearPath,
    kind: BundleKind,
    principal: SignedIn,
    session: DbSession,
    format: BundleFormat = BundleFormat.PDF,
) -> Response:
    """A periodic report: six-monthly (due 10 June), annual (due 10 November) or the sector
    reports (due 25 September), with charts; stage timings in ``Server-Timing``."""
    data = service.bundle(session, principal, commune_id, year, kind.value)
    images = render.bundle_charts(data)
    timing = ", ".join(f"{step};dur={seconds * 1000:.0f}" for step, seconds in data.seconds.items())
    name = f"bao-cao-{kind.value}-{year}.{format.value}"
    if format is BundleFormat.XLSX:
        return _file(render.bundle_xlsx(data, images), XLSX, name, **{"Server-Timing": timing})
    return _file(
        render.bundle_pdf(data, images), "application/pdf", name, **{"Server-Timing": timing}
    )


@router.get("/communes/{commune_id}/years/{year}/appendix-vii")
def appendix_vii(
    commune_id: PathId,
    year: YearPath,
    principal: SignedIn,
    session: DbSession,
    today: Today,
    period: Period = Period.ANNUAL,
    form: Annotated[list[str] | None, Query(description="form numbers, e.g. 7.1; all")] = None,
    format: BundleFormat = BundleFormat.XLSX,
) -> Response:
    """The report forms of Circular 07/2021's Appendix VII (as amended by Circular 02/2022)
    for the six-monthly or annual report: one sheet (or PDF page) per form, per hamlet with
    the commune's total, dated today; ``form`` keeps the forms named."""
    forms = service.appendix_vii(
        session, principal, commune_id, year, period.value, today, form or ()
    )
    name = f"phu-luc-vii-{period.value}-{year}.{format.value}"
    if format is BundleFormat.PDF:
        return _file(forms_pdf(forms), "application/pdf", name)
    return _file(forms_xlsx(forms), XLSX, name)


@router.get("/communes/{commune_id}/years/{year}/helping-officers")
def helping_officers(
    commune_id: PathId,
    year: YearPath,
    principal: SignedIn,
    session: DbSession,
    today: Today,
    format: BundleFormat = BundleFormat.XLSX,
) -> Response:
    """Seed 002's list: each household registered to exit poverty in ``year`` with its
    hamlet, class, helping officers, their organisations, the forms of help and the progress,
    in words; only the households of the reader's hamlets."""
    paper = helping_list(session, principal, commune_id, year, today)
    name = f"danh-sach-phu-trach-{year}.{format.value}"
    if format is BundleFormat.PDF:
        return _file(helping_pdf(paper), "application/pdf", name)
    return _file(helping_xlsx(paper), XLSX, name)


@router.get("/provinces/{province_id}/years/{year}/rollup")
def rollup(
    province_id: PathId,
    year: YearPath,
    principal: SignedIn,
    session: DbSession,
    legacy_district: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """The province's communes (with their pre-2025 district and commune codes) and total;
    ``legacy_district`` keeps the communes of one former district."""
    return _json(service.rollup(session, principal, province_id, year, legacy_district))
