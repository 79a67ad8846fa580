"""The project's own checks run as part of the suite: ruff, mypy (strict on shared/), the
import contract that keeps shared/ pure, and the published household schema being current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    result = _run(str(BIN / "mypy"), "shared", "server", "mobile", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_shared_imports_nothing_from_server_tablet_database_web_or_ui() -> None:
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_published_household_schema_is_current() -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from gen_schema import TARGET, render
    finally:
        sys.path.pop(0)
    assert TARGET.read_bytes() == render(), "run: python docs/gen_schema.py"
