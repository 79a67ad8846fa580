"""Browser fixtures of the console's and the self-check's tests, registered once for the whole
suite by ``tests/conftest.py`` (Playwright's sync API starts once per process: a second copy of
these fixtures in another conftest failed with "Sync API inside the asyncio loop"):
``rasoat serve --demo`` on 127.0.0.1 (a free port, a fresh data folder),
Debian's Chromium driven by Playwright, screenshots kept, axe-core injected.

Screenshots go to RASOAT_CONSOLE_SCREENSHOTS when set, else to the session's temporary
folder (printed at the end)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "server/console/static/vendor/axe-core/axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def console_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``rasoat serve --demo`` in a fresh data folder; yield its base URL."""
    yield from serve_demo(tmp_path_factory)


def serve_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run ``rasoat serve --demo`` in a fresh data folder and yield its base URL; for a test
    that changes the demo's shape (a hamlet merge) apart from the shared server."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    data = tmp_path_factory.mktemp("console-data")
    port = _free_port()
    env = {
        **os.environ,
        "RASOAT_DATA_DIR": str(data),
        "RASOAT_DATABASE_URL": "",
        "RASOAT_PASSWORD_TIME_COST": "1",
        "RASOAT_PASSWORD_MEMORY_KIB": "1024",
    }
    rasoat = Path(sys.executable).with_name("rasoat")
    log = (data / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(rasoat), "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data / "serve.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the screenshots are kept in."""
    chosen = os.environ.get("RASOAT_CONSOLE_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("console-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright (never ``playwright install``)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any, console_url: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the console."""
    context = chromium.new_context(base_url=console_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
