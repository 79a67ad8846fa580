"""``rasoat forms …``: list the survey forms and check answers against them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from shared.engine import classify, parse_household
from shared.errors import Lang, RasoatError
from shared.forms.catalog import read_form, shipped
from shared.forms.form import Form
from shared.forms.validate import Filled, check_answers

app = typer.Typer(help="Survey forms: list, check answers.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def _language(lang: str) -> Lang:
    if lang not in ("vi", "en"):
        raise _fail(f"--lang must be vi or en, not {lang}")
    return "vi" if lang == "vi" else "en"


@app.command("list")
def list_command(
    lang: Annotated[str, typer.Option("--lang", help="language of titles: vi or en")] = "vi",
    all_versions: Annotated[
        bool, typer.Option("--all", help="every version, not only the latest")
    ] = False,
) -> None:
    """Print the id, version and title of each form."""
    language = _language(lang)
    try:
        catalog = shipped()
    except RasoatError as exc:
        raise _fail(exc.message(language)) from None
    for form in catalog.forms() if all_versions else catalog.latest():
        kind = f"\t→ {form.document.format}" if form.document else ""
        title = form.title.vi if language == "vi" else form.title.en
        typer.echo(f"{form.id}\t{form.version}\t{title}{kind}")


def _read_answers(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        if path.suffix in (".yaml", ".yml"):
            return yaml.safe_load(text)
        return json.loads(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise _fail(f"{path} is not valid JSON or YAML: {str(exc).splitlines()[0]}") from None


def _find_form(name: str, answers: Any, language: Lang) -> Form:
    try:
        catalog = shipped()
        if name.endswith((".yaml", ".yml")):
            return read_form(Path(name), catalog.shared)
        form_id, _, version = name.partition("@")
        if not version and isinstance(answers, dict) and isinstance(answers.get("version"), int):
            version = str(answers["version"])
        if version and not version.isdigit():
            raise _fail(f"FORM is an id, id@version or a .yaml file, not {name}")
        return catalog.get(form_id, int(version) if version else None)
    except RasoatError as exc:
        raise _fail(exc.message(language)) from None


def _classification(filled: Filled, language: Lang) -> tuple[Any, Any, str | None]:
    """Return the document, its classification and why it could not be classified."""
    document = filled.document()
    if document is None:
        return None, None, None
    try:
        result = classify(parse_household(document))
    except RasoatError as exc:
        return document, None, exc.message(language)
    return document, result.to_dict(language), None


@app.command("check")
def check_command(
    form_name: Annotated[
        str, typer.Argument(metavar="FORM", help="form id, id@version, or a form .yaml file")
    ],
    answers_file: Annotated[
        Path, typer.Argument(metavar="ANSWERS", help="filled answers, JSON (or YAML)")
    ],
    lang: Annotated[str, typer.Option("--lang", help="language of messages: vi or en")] = "vi",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Print the issues of the answers and, for survey forms, the household document and its
    classification. Exits 1 when the answers have errors, 2 on unreadable input."""
    language = _language(lang)
    answers = _read_answers(answers_file)
    form = _find_form(form_name, answers, language)
    filled = check_answers(form, answers)
    document, classification, unclassified = _classification(filled, language)
    failed = bool(filled.errors) or unclassified is not None
    if as_json:
        output = {
            "form": form.key,
            "issues": [issue.to_dict() for issue in filled.issues],
            "document": document,
            "classification": classification,
            "unclassified": unclassified,
        }
        typer.echo(json.dumps(output, ensure_ascii=False, indent=2))
        raise typer.Exit(code=1 if failed else 0)
    title = form.title.vi if language == "vi" else form.title.en
    typer.echo(f"{form.key}: {title}")
    typer.echo(f"{len(filled.errors)} errors, {len(filled.issues) - len(filled.errors)} warnings")
    for issue in filled.issues:
        rule = f" ({issue.rule})" if issue.rule else ""
        where = issue.path or "-"
        typer.echo(f"  {issue.severity:<7} {where}: {issue.code}{rule}: {issue.message(language)}")
    if document is not None:
        typer.echo("document:")
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        if classification is not None:
            typer.echo("classification:")
            typer.echo(json.dumps(classification, ensure_ascii=False, indent=2))
        else:
            typer.echo(f"not classified: {unclassified}", err=True)
    sys.stdout.flush()
    raise typer.Exit(code=1 if failed else 0)
