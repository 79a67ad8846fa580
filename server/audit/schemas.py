"""The audit log as the API shows it."""

from __future__ import annotations

from pydantic import BaseModel


class ChainOut(BaseModel):
    ok: bool
    checked: int
    broken_at: int | None
    problem: str | None
