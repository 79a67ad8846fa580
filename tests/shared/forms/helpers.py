"""Loading golden answer sets and changing answers by path (``answers.members[2].sex``)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from shared.forms.validate import Issue

HERE = Path(__file__).parent
ANSWERS = HERE / "answers"
GOLDEN = HERE / "golden"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def answers(name: str) -> dict[str, Any]:
    """Return a filled answers file from ``answers/`` (fresh each time)."""
    loaded: dict[str, Any] = load_yaml(ANSWERS / name)
    return loaded


def _steps(path: str) -> list[str | int]:
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def set_path(document: Any, path: str, value: Any) -> None:
    *parents, last = _steps(path)
    for step in parents:
        document = document[step]
    document[last] = copy.deepcopy(value)


def remove_path(document: Any, path: str) -> None:
    *parents, last = _steps(path)
    for step in parents:
        document = document[step]
    del document[last]


def changed(base: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``base`` with the case's ``set`` and ``remove`` applied."""
    result = copy.deepcopy(base)
    for path, value in (case.get("set") or {}).items():
        set_path(result, path, value)
    for path in case.get("remove") or []:
        remove_path(result, path)
    return result


def brief(issue: Issue) -> str:
    """Return the issue as a golden file writes it: ``path code [rule]``."""
    parts = [issue.path or "-", str(issue.code)]
    if issue.rule:
        parts.append(issue.rule)
    return " ".join(parts)


def golden_cases() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Return (form id, base answers, case) for every case of every golden file."""
    found: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for path in sorted((GOLDEN / "issues").glob("*.yaml")):
        table = load_yaml(path)
        base = table["base"]
        base = answers(base) if isinstance(base, str) else base
        found.extend((table["form"], base, case) for case in table["cases"])
    return found
