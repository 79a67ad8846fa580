"""Golden-case tables: a base household, patches, and what the engine must say."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

GOLDEN_DIR = Path(__file__).parent / "golden"


def apply_patch(base: Any, patch: Any) -> Any:
    """Return ``base`` with ``patch`` merged in: mappings merge, a mapping patch on a list edits
    items by index, anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = apply_patch(base.get(key), value)
        return merged
    if isinstance(base, list) and isinstance(patch, dict):
        items = list(base)
        for index, value in patch.items():
            items[int(index)] = apply_patch(items[int(index)], value)
        return items
    return copy.deepcopy(patch)


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """Return (id, case) for every golden case, each with its ``document`` built."""
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in table["cases"]:
            document = apply_patch(table["base"], case.get("patch", {}))
            document["members"] = document["members"] + case.get("add_members", [])
            cases.append((f"{path.stem}: {case['name']}", {**case, "document": document}))
    return cases
