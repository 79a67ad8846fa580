"""The server's fixtures (a migrated database per test, rolled back; the small world) and the
console's browser fixtures (``rasoat serve --demo``, Chromium), shared with the self-check."""

from __future__ import annotations

from tests.console.conftest import browser_page, chromium, console_url, screenshots
from tests.server.conftest import (
    app,
    client,
    connection,
    engine,
    migrated_url,
    security,
    session,
    settings,
    world,
)

__all__ = [
    "app",
    "browser_page",
    "chromium",
    "client",
    "connection",
    "console_url",
    "engine",
    "migrated_url",
    "screenshots",
    "security",
    "session",
    "settings",
    "world",
]
