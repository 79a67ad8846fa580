"""Where the UI tests' screenshots land: ``$RASOAT_SCREENSHOTS``, else a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("RASOAT_SCREENSHOTS")
    return Path(where) if where else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def portrait_display() -> Iterator[str]:
    """A private X display of 800×1280, for the portrait screenshots."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed")
    display = f":{500 + os.getpid() % 400}"
    proc = subprocess.Popen(
        [xvfb, display, "-screen", "0", "800x1280x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    yield display
    proc.terminate()
    proc.wait(timeout=10)
