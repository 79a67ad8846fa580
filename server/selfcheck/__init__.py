"""The household self-check page, ``/tu-danh-gia`` (docs/selfcheck.md): public, phone-first,
the shared engine on a household's own answers, and an application only with its consent."""

from __future__ import annotations

from fastapi import FastAPI

from server.selfcheck.limits import default_limiter
from server.selfcheck.router import router


def mount(app: FastAPI) -> None:
    """Serve the page, with a rate limiter of its own for this application."""
    app.state.selfcheck_limiter = default_limiter()
    app.include_router(router)
