"""``rasoat standards``: the national standards, and the Phiếu B1 score tables a province
loads (``load-score-table``) and a round by score chooses from (``list``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from server.classification import service as score_tables
from server.cli.admin import _session, _settings
from shared.errors import Lang, RasoatError
from shared.standards import load_catalog

app = typer.Typer(
    help="The national standards and the provinces' Phiếu B1 score tables.",
    invoke_without_command=True,
)

EXAMPLE = {"vi": "VÍ DỤ, không phải bảng chính thức", "en": "EXAMPLE, not an official table"}


def _language(lang: str) -> Lang:
    return "en" if lang == "en" else "vi"


def _print_standards(language: Lang) -> None:
    for standard in load_catalog().standards:
        end = standard.in_force.end.isoformat() if standard.in_force.end else "…"
        flag = " (provisional)" if standard.provisional else ""
        typer.echo(
            f"{standard.id}\t{standard.in_force.start.isoformat()} … {end}{flag}\t"
            f"{standard.title[language]}\t{standard.legal_basis}"
        )


@app.callback()
def standards(
    context: typer.Context,
    lang: Annotated[str, typer.Option("--lang", help="vi or en")] = "vi",
) -> None:
    """List the national standards with their dates and legal references."""
    if context.invoked_subcommand is None:
        _print_standards(_language(lang))


@app.command("list")
def list_command(lang: Annotated[str, typer.Option("--lang", help="vi or en")] = "vi") -> None:
    """List the national standards, then the score tables a round by score may choose: the
    shipped examples (marked as such) and the tables loaded into the database."""
    language = _language(lang)
    _print_standards(language)
    with _session(_settings()) as session:
        for info in score_tables.tables(session):
            marks = [EXAMPLE[language]] if info.example_only else []
            if info.shipped:
                marks.append("shipped" if language == "en" else "kèm theo phần mềm")
            if info.province_code:
                marks.append(("province " if language == "en" else "tỉnh ") + info.province_code)
            if info.loaded_at:
                marks.append(info.loaded_at.strftime("%d/%m/%Y"))
            typer.echo(
                f"score-table\t{info.code}\t{info.form or '—'}\t{info.title}\t({'; '.join(marks)})"
            )


@app.command("load-score-table")
def load_score_table_command(
    file: Annotated[Path, typer.Argument(help="the province's score table (YAML)")],
    province: Annotated[
        str | None, typer.Option(help="province code; by default the table's 'province'")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="language of messages: vi or en")] = "vi",
) -> None:
    """Load a province's official Phiếu B1 score table; a table that gives no points to an
    item of the form it names is refused, naming the item."""
    language = _language(lang)
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"cannot read {file}: {exc}", err=True)
        raise typer.Exit(code=2) from None
    with _session(_settings()) as session:
        try:
            row = score_tables.load_table(session, text, file.name, province)
        except RasoatError as exc:
            typer.echo(exc.message(language), err=True)
            raise typer.Exit(code=2) from None
        note = f" ({EXAMPLE[language]})" if row.example_only else ""
        typer.echo(f"score table {row.code} loaded: {row.title}{note}")
