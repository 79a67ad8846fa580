"""Run ``tests/mobile/ui_driver.py`` (the real app, one scenario) in its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).parents[1] / "ui_driver.py"
ROOT = Path(__file__).parents[3]


def drive(
    display: str,
    scenario: str,
    data: Path,
    shots: Path,
    size: str = "1280x800",
    extra_env: dict[str, str] | None = None,
    timeout: int = 60,
) -> tuple[int, dict[str, object]]:
    env = {
        **os.environ,
        **(extra_env or {}),
        "DISPLAY": display,
        "PYTHONPATH": str(ROOT),
        "KIVY_NO_ARGS": "1",
        "KIVY_LOG_MODE": "PYTHON",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_AUDIO": "",
    }
    done = subprocess.run(
        [sys.executable, str(DRIVER), scenario, str(data), str(shots), size],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    result = shots / "result.json"
    found = json.loads(result.read_text()) if result.exists() else {}
    if done.returncode not in (0, 9):
        print(done.stdout[-3000:], done.stderr[-3000:])
    return done.returncode, found
