"""The standards shipped with the system, and provincial standards layered on top of them.

The national standards are data files beside this module. A province's local standard is a
small file naming the national standard it ``extends`` and the ``overrides`` it applies
(mappings merge key by key, lists replace); its income thresholds may only be higher.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from shared.errors import ErrorCode, RasoatError
from shared.standard import Standard

DATA_DIR = Path(__file__).parent


class Catalog:
    """The national standards by id, and which one is in force on a given day."""

    def __init__(self, standards: list[Standard]) -> None:
        self.standards = tuple(sorted(standards, key=lambda s: s.in_force.start))
        self._by_id = {standard.id: standard for standard in self.standards}

    def get(self, standard_id: str) -> Standard:
        """Return the standard named ``standard_id``; raise UNKNOWN_STANDARD if none."""
        try:
            return self._by_id[standard_id]
        except KeyError:
            raise RasoatError(ErrorCode.UNKNOWN_STANDARD, standard=standard_id) from None

    def for_list_year(self, year: int) -> Standard:
        """Return the standard of the poor and near-poor lists of ``year``: the one in force on
        its 1 January (the review run from September makes the next year's list under the
        next year's standard). Raise NO_STANDARD_IN_FORCE if none."""
        return self.for_date(date(year, 1, 1))

    def for_date(self, day: date) -> Standard:
        """Return the standard in force on ``day``; raise NO_STANDARD_IN_FORCE if none."""
        for standard in self.standards:
            if standard.in_force.covers(day):
                return standard
        raise RasoatError(ErrorCode.NO_STANDARD_IN_FORCE, date=day.isoformat())


def _read_yaml(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RasoatError(ErrorCode.INVALID_STANDARD, source=source, problem=str(exc)) from None
    if not isinstance(data, dict):
        raise RasoatError(ErrorCode.INVALID_STANDARD, source=source, problem="not a mapping")
    return data


def _validate(data: dict[str, Any], source: str) -> Standard:
    try:
        return Standard.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RasoatError(
            ErrorCode.INVALID_STANDARD, source=source, problem=f"{where}: {first['msg']}"
        ) from None


def parse_standard(text: str, source: str = "<text>") -> Standard:
    """Return the national standard defined by the YAML ``text``."""
    return _validate(_read_yaml(text, source), source)


@cache
def load_catalog() -> Catalog:
    """Return the catalog of national standards shipped with the system (read once)."""
    return Catalog(
        [
            parse_standard(path.read_text(encoding="utf-8"), path.name)
            for path in sorted(DATA_DIR.glob("vn-*.yaml"))
        ]
    )


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value)
        return merged
    return override


def parse_local_standard(text: str, catalog: Catalog, source: str = "<text>") -> Standard:
    """Return a province's local standard: its base national standard with overrides applied.

    The local file names ``id``, ``province``, ``title``, ``legal_basis``, ``extends`` and
    ``overrides``. A local standard exists to be more generous than the national one, so every
    income threshold must be at least the national value.
    """
    data = _read_yaml(text, source)
    allowed = {"id", "province", "title", "legal_basis", "extends", "overrides"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise RasoatError(
            ErrorCode.INVALID_STANDARD, source=source, problem=f"unknown keys {unknown}"
        )
    for key in ("id", "province", "extends"):
        if not isinstance(data.get(key), str):
            raise RasoatError(ErrorCode.INVALID_STANDARD, source=source, problem=f"{key} missing")
    base = catalog.get(data["extends"])
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise RasoatError(
            ErrorCode.INVALID_STANDARD, source=source, problem="overrides is not a mapping"
        )
    merged = _merge(base.model_dump(mode="json", by_alias=True), overrides)
    merged.update(
        id=data["id"],
        province=data["province"],
        extends=base.id,
        title=data.get("title", base.title),
        legal_basis=data.get("legal_basis", base.legal_basis),
    )
    local = _validate(merged, source)
    for name, threshold in base.thresholds.items():
        mine = local.thresholds.get(name)
        if mine is None or mine.rural < threshold.rural or mine.urban < threshold.urban:
            raise RasoatError(
                ErrorCode.INVALID_STANDARD,
                source=source,
                problem=f"threshold {name} must be at least the national {base.id} value",
            )
    return local
