"""Where the UI tests' screenshots land: ``$RASOAT_SCREENSHOTS``, else a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("RASOAT_SCREENSHOTS")
    return Path(where) if where else tmp_path_factory.mktemp("screenshots")
