"""``rasoat classify``: the engine on the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from shared.engine import classify, parse_household
from shared.errors import ErrorCode, Lang, RasoatError
from shared.income import IncomeEstimator
from shared.score_a import as_region, parse_score_table, shipped_tables
from shared.standard import Standard
from shared.standards import load_catalog, parse_local_standard


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {source}: {exc.strerror}") from None


def _documents(raw: bytes) -> tuple[list[Any], bool]:
    """Return the household documents in ``raw`` and whether they came as an array."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise RasoatError(ErrorCode.INVALID_JSON, problem=str(exc)) from None
    if isinstance(data, list):
        return data, True
    return [data], False


def _score_estimator(
    chosen: str, region: str | None, b1_file: Path | None, language: Lang
) -> IncomeEstimator:
    """Return the estimator of a score table (a file or a shipped example's id) in
    ``region`` with the Phiếu B1 answers of ``b1_file``; an example table is said to be one."""
    shipped = {table.id: table for table in shipped_tables()}
    table = (
        shipped[chosen]
        if chosen in shipped
        else parse_score_table(Path(chosen).read_text("utf-8"), chosen)
    )
    if table.example_only:
        typer.echo(
            "Lưu ý: bảng điểm VÍ DỤ, điểm tự đặt, không phải bảng chính thức"
            if language == "vi"
            else "Note: an EXAMPLE score table with invented points, not the official one",
            err=True,
        )
    answers = None
    if b1_file is not None:
        try:
            filled = orjson.loads(b1_file.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise RasoatError(ErrorCode.INVALID_JSON, problem=str(exc)) from None
        answers = filled.get("answers", filled) if isinstance(filled, dict) else None
    return table.for_region(as_region(region), answers)


def classify_command(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="household JSON, or - for stdin")],
    standard_id: Annotated[
        str | None, typer.Option("--standard", help="standard id; default: by reference_date")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="language of reasons: vi or en")] = "vi",
    local_file: Annotated[
        Path | None, typer.Option("--local", help="a province's local standard (YAML)")
    ] = None,
    score_table_file: Annotated[
        str | None,
        typer.Option(
            "--score-table",
            help="estimate income with a score table: a file, or the id of a shipped EXAMPLE "
            "table (example-b1, invented points)",
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="the socio-economic region, for a table whose points differ by it"),
    ] = None,
    b1_file: Annotated[
        Path | None,
        typer.Option("--b1", help="the filled Phiếu B1 (JSON) a table on its answers scores"),
    ] = None,
) -> None:
    """Classify one household document, or a JSON array of them; print the result(s) as JSON."""
    if lang not in ("vi", "en"):
        raise _fail(f"--lang must be vi or en, not {lang}")
    language: Lang = "vi" if lang == "vi" else "en"
    try:
        catalog = load_catalog()
        standard: Standard | None = catalog.get(standard_id) if standard_id else None
        local = (
            parse_local_standard(local_file.read_text("utf-8"), catalog, str(local_file))
            if local_file
            else None
        )
        estimator: IncomeEstimator | None = (
            _score_estimator(score_table_file, region, b1_file, language)
            if score_table_file
            else None
        )
        documents, many = _documents(_read(source))
        results = []
        for index, document in enumerate(documents):
            try:
                household = parse_household(document if isinstance(document, dict) else {})
            except RasoatError as exc:
                if many:
                    exc.detail["household_id"] = f"{exc.detail.get('household_id')} (#{index})"
                raise _fail(exc.message(language)) from None
            result = classify(household, standard=standard, local=local, income_estimator=estimator)
            results.append(result.to_dict(language))
    except RasoatError as exc:
        raise _fail(exc.message(language)) from None
    except OSError as exc:
        raise _fail(f"cannot read {exc.filename}: {exc.strerror}") from None
    output = results if many else results[0]
    sys.stdout.buffer.write(orjson.dumps(output, option=orjson.OPT_INDENT_2) + b"\n")
