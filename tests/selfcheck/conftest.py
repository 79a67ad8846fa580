"""The server's fixtures (a migrated database per test, rolled back; the small world); the
browser fixtures come from ``tests/browser_fixtures.py``, registered for the whole suite."""

from __future__ import annotations

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
    "client",
    "connection",
    "engine",
    "migrated_url",
    "security",
    "session",
    "settings",
    "world",
]
