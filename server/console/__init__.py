"""The web console for the commune office and the province (docs/console.md): server-rendered
pages over the same services as the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from server.console.router import router

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Serve the console's pages at ``/`` and its static files at ``/static``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
