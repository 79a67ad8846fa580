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
from shared.score_a import parse_score_table
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
        Path | None, typer.Option("--score-table", help="estimate income with a score-A table")
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
            parse_score_table(score_table_file.read_text("utf-8"), str(score_table_file))
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
