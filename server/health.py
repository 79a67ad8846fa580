"""``/health``: the process is up and the database answers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from server.db import DbSession

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.get("/health", response_model=Health)
def health(session: DbSession) -> Health:
    """Answer ok when the database answers a trivial query."""
    session.execute(text("SELECT 1"))
    try:
        release = version("rasoat")
    except PackageNotFoundError:
        release = "dev"
    return Health(status="ok", database=session.get_bind().dialect.name, version=release)
