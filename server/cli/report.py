"""``rasoat report …``: the commune's reports from the command line, on the database of
``RASOAT_DATABASE_URL``. Reports that take more than a second print their progress to
standard error; ``bundle --wait`` hands the report to the background worker and shows its
progress as the console does."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from server.cli import jobs as cli_jobs
from server.clock import today
from server.db import make_engine, make_session_factory
from server.geography import repository as geography
from server.jobs import service as jobs
from server.migrate import upgrade
from server.reports import render, service
from server.reports.appendix_vii_files import forms_pdf, forms_xlsx
from server.settings import Settings
from shared.errors import RasoatError

app = typer.Typer(
    help="The commune's reports: hamlet table, periodic bundles, Appendix VII forms, roll-up."
)


class TableFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"


class BundleFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


@contextmanager
def _session() -> Iterator[Session]:
    """Yield a read session on the migrated database; report a catalog error and exit 2."""
    settings = Settings()
    upgrade(settings.resolved_migration_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            try:
                yield session
            except RasoatError as exc:
                typer.echo(exc.message("vi"), err=True)
                raise typer.Exit(code=2) from None
    finally:
        engine.dispose()


class _Progress:
    """Prints each step once the report has been running for a second."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, step: str, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed >= 1.0:
            typer.echo(f"[{done}/{total}] {step} ({elapsed:.1f} s)", err=True)


def _write(content: bytes | str, out: Path | None) -> None:
    data = content.encode() if isinstance(content, str) else content
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {out} ({len(data):,} bytes)", err=True)


Commune = Annotated[str, typer.Option("--commune", help="commune code, e.g. DEMO-VL")]
Year = Annotated[int, typer.Option("--year", min=2021, max=2100, help="report year")]
Out = Annotated[Path | None, typer.Option("--out", help="file to write (default: stdout)")]


@app.command("hamlet-table")
def hamlet_table_command(
    commune: Commune,
    year: Year,
    format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.CSV,
    out: Out = None,
) -> None:
    """Per hamlet: households, poor and near-poor (count, %), start of year against now, and
    the changes; the commune's total last."""
    with _session() as session:
        found = service.commune_by_code(session, commune)
        table = service.hamlet_table(session, None, found.id, year)
    if format is TableFormat.CSV:
        _write(render.to_csv(table), out)
    elif format is TableFormat.JSON:
        _write(json.dumps(render.plain(table), ensure_ascii=False, indent=2) + "\n", out)
    elif format is TableFormat.XLSX:
        _write(render.table_xlsx(table), out)
    else:
        _write(render.table_pdf(table), out)


@app.command("bundle")
def bundle_command(
    commune: Commune,
    year: Year,
    kind: Annotated[str, typer.Option(help="six_monthly, annual or sector")] = "annual",
    format: Annotated[BundleFormat, typer.Option("--format")] = BundleFormat.PDF,
    out: Out = None,
    queue: Annotated[
        bool, typer.Option(help="hand it to the background worker and print the job's number")
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(help="hand it to the background worker, follow its progress, write the file"),
    ] = False,
) -> None:
    """A periodic report (six-monthly due 10 June, annual due 10 November, sector reports
    due 25 September) as XLSX or PDF, with its charts. Made here unless --queue or --wait
    gives it to a worker (rasoat worker, or the one inside rasoat serve)."""
    if queue or wait:
        _queued_bundle(commune, year, kind, format, out, wait)
        return
    progress = _Progress()
    with _session() as session:
        found = service.commune_by_code(session, commune)
        data = service.bundle(session, None, found.id, year, kind, progress)
    images = render.bundle_charts(data)
    progress("charts", 6, 7)
    content = (
        render.bundle_xlsx(data, images)
        if format is BundleFormat.XLSX
        else (render.bundle_pdf(data, images))
    )
    progress(format.value, 7, 7)
    _write(content, out)


@app.command("appendix-vii")
def appendix_vii_command(
    commune: Commune,
    year: Year,
    period: Annotated[str, typer.Option(help="six_monthly or annual")] = "annual",
    form: Annotated[
        list[str] | None, typer.Option("--form", help="a form number, e.g. 7.1 (repeat); all")
    ] = None,
    format: Annotated[BundleFormat, typer.Option("--format")] = BundleFormat.XLSX,
    out: Out = None,
) -> None:
    """The report forms of Circular 07/2021's Appendix VII for the six-monthly or annual
    report, per hamlet with the commune's total, as XLSX (a sheet per form) or PDF."""
    with _session() as session:
        found = service.commune_by_code(session, commune)
        forms = service.appendix_vii(session, None, found.id, year, period, today(), form or ())
    _write(forms_pdf(forms) if format is BundleFormat.PDF else forms_xlsx(forms), out)


def _queued_bundle(
    commune: str, year: int, kind: str, format: BundleFormat, out: Path | None, wait: bool
) -> None:
    settings = Settings()
    upgrade(settings.resolved_migration_url)
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            try:
                found = service.commune_by_code(session, commune)
                job = jobs.start_bundle(session, None, found.id, year, kind, format.value)
            except RasoatError as exc:
                typer.echo(exc.message("vi"), err=True)
                raise typer.Exit(code=2) from None
            session.commit()
            job_id = job.id
        typer.echo(cli_jobs.TEXT["queued"]["vi"].format(job=job_id), err=True)
        if wait:
            cli_jobs.wait_and_write(factory, job_id, True, out, "vi")
        else:
            typer.echo(job_id)
    finally:
        engine.dispose()


@app.command("rollup")
def rollup_command(
    province: Annotated[str, typer.Option("--province", help="province code, e.g. 38")],
    year: Year,
    legacy_district: Annotated[
        str | None, typer.Option(help="only the communes of this pre-2025 district code")
    ] = None,
) -> None:
    """The province's communes and total as JSON, optionally for one legacy district."""
    with _session() as session:
        place = geography.province_by_code(session, province)
        if place is None:
            typer.echo(f"no province {province}", err=True)
            raise typer.Exit(code=2)
        found = service.rollup(session, None, place.id, year, legacy_district)
    typer.echo(json.dumps(render.plain(found), ensure_ascii=False, indent=2))
