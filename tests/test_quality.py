"""The project's own checks run as part of the suite: ruff, mypy (everything, strict on
shared/), the import contract that keeps shared/ pure, and the published household schema
being current."""

from __future__ import annotations

import runpy
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
    result = _run(str(BIN / "mypy"), "shared", "server", "mobile", "bench", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_shared_imports_nothing_from_server_tablet_database_web_or_ui() -> None:
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_published_household_schema_is_current() -> None:
    generator = runpy.run_path(str(ROOT / "docs" / "gen_schema.py"))
    assert generator["TARGET"].read_bytes() == generator["render"](), (
        "run: python docs/gen_schema.py"
    )
