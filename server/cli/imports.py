"""``rasoat admin import-households`` and ``households-template``: a commune's household list
from a spreadsheet, previewed first.

Without ``--commit`` the command only shows what the file would do (households created,
updated, unchanged and refused, every refusal with its row, column and reason) and writes
nothing: an officer sees a wrong file, a wrong commune or a shifted column before it touches
the registry, and commits the same file once the preview is right.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from server.cli.admin import OPERATOR, _session, _settings
from server.geography import repository as geography
from server.imports.columns import Field, parse_mapping
from server.imports.service import (
    ImportRefusedError,
    ImportRequest,
    Preview,
    import_households,
    vietnam_today,
)
from server.imports.template import SHIPPED
from shared.errors import ErrorCode, Lang, RasoatError

LABELS: dict[str, dict[Lang, str]] = {
    "create": {"vi": "Hộ thêm mới", "en": "Households to create"},
    "update": {"vi": "Hộ cập nhật", "en": "Households to update"},
    "unchanged": {"vi": "Hộ không đổi", "en": "Households unchanged"},
    "refused": {"vi": "Hộ bị từ chối", "en": "Households refused"},
}
TEXT: dict[str, dict[Lang, str]] = {
    "refusal": {
        "vi": "Dòng {row}, cột {column}: {reason}",
        "en": "Row {row}, column {column}: {reason}",
    },
    "ignored": {"vi": "Cột không dùng: {columns}", "en": "Columns not read: {columns}"},
    "dry": {
        "vi": "Chưa ghi gì. Khi bản xem trước đúng, chạy lại lệnh với --commit để nhập.",
        "en": "Nothing written. When the preview is right, run again with --commit.",
    },
    "done": {"vi": "Đã nhập vào xã {commune}.", "en": "Imported into commune {commune}."},
}  # fmt: skip


def _mapping(entries: list[str]) -> dict[str, Field]:
    """Return the mapping of ``--map`` entries; an entry naming a YAML file adds its pairs."""
    pairs: dict[str, Any] = {}
    for entry in entries:
        if entry.endswith((".yaml", ".yml")) and "=" not in entry:
            try:
                loaded = yaml.safe_load(Path(entry).read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError):
                raise RasoatError(ErrorCode.IMPORT_MAPPING_INVALID, mapping=entry) from None
            if not isinstance(loaded, dict):
                raise RasoatError(ErrorCode.IMPORT_MAPPING_INVALID, mapping=entry)
            pairs.update(loaded)
        else:
            heading, _, field = entry.partition("=")
            pairs[heading] = field if _ else None
    return parse_mapping(pairs)


def show(preview: Preview, lang: Lang) -> None:
    """Print the preview: counts per action, then every refusal."""
    for action, count in preview.counts().items():
        typer.echo(f"{LABELS[action][lang]}: {count}")
    if preview.ignored:
        typer.echo(TEXT["ignored"][lang].format(columns=", ".join(preview.ignored)))
    for refusal in preview.refusals:
        line = TEXT["refusal"][lang]
        typer.echo(
            line.format(row=refusal.row, column=refusal.column, reason=refusal.message(lang))
        )


def import_households_command(
    file: Annotated[Path, typer.Argument(help="the household list, .xlsx or .csv")],
    commune: Annotated[str, typer.Option(help="commune code")],
    year: Annotated[
        int | None, typer.Option(help="the year of the class column (default: last year)")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="'heading in the file=field' (field: hamlet, household_code, head_name, "
            "address, member_name, birth_date, sex, relation, citizen_id, last_class, or a "
            "template heading); or a YAML file of such pairs; repeatable",
        ),
    ] = None,
    commit: Annotated[
        bool, typer.Option(help="write the file (default: only show the preview)")
    ] = False,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
) -> None:
    """Import a commune's households from a spreadsheet: a preview, or with --commit the whole
    file in one transaction."""
    language: Lang = "en" if lang == "en" else "vi"
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"{file}: {exc.strerror}", err=True)
        raise typer.Exit(code=2) from None
    today = vietnam_today()
    with _session(_settings()) as session:
        found = geography.commune_by_code(session, commune)
        if found is None:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {commune}")
        request = ImportRequest(
            data, file.name, _mapping(mapping or []), year or today.year - 1, today
        )
        try:
            preview = import_households(session, OPERATOR, found, request, commit)
        except ImportRefusedError as refused:
            show(refused.preview, language)
            raise
        show(preview, language)
        key = "done" if preview.committed else "dry"
        typer.echo(TEXT[key][language].format(commune=found.code))


def households_template_command(
    out: Annotated[Path, typer.Argument(help="where to write the template (.xlsx)")],
) -> None:
    """Write the household list template (Vietnamese headings) to fill in and import."""
    shutil.copyfile(SHIPPED, out)
    typer.echo(str(out))
