"""HTTP endpoints of the audit log."""

from __future__ import annotations

from fastapi import APIRouter

from server.audit import service
from server.audit.schemas import ChainOut
from server.auth.dependencies import AuditReader
from server.db import DbSession

router = APIRouter(tags=["audit"])


@router.get("/audit/verify", response_model=ChainOut)
def verify(principal: AuditReader, session: DbSession) -> ChainOut:
    """Check the hash chain of the whole audit log (entries themselves are read with
    ``rasoat admin``: they span every scope)."""
    report = service.verify(session)
    return ChainOut(
        ok=report.ok, checked=report.checked, broken_at=report.broken_at, problem=report.problem
    )
