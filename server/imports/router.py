"""HTTP endpoint of the household import (the console's upload page calls the same service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from server.auth.dependencies import HouseholdEditor
from server.auth.service import actor_of
from server.db import DbSession
from server.errors import language
from server.ids import MAX_ID
from server.imports import service
from server.imports.columns import parse_mapping
from server.imports.schemas import (
    ClassYear,
    CommitFlag,
    HeadingMap,
    ImportPreview,
    ListFile,
    OutcomeOut,
    RefusalOut,
)

router = APIRouter(tags=["imports"])


@router.post("/imports/households", response_model=ImportPreview)
def import_households(
    file: ListFile,
    commune_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    principal: HouseholdEditor,
    session: DbSession,
    request: Request,
    year: ClassYear = None,
    commit: CommitFlag = False,
    mapping: HeadingMap = None,
) -> ImportPreview:
    """Preview importing a commune's household list, or with ``commit`` import it whole in one
    transaction. A commit of a file with refused rows writes nothing and answers
    ``import_refused`` with the refusals. Commune officers, in their own commune."""
    today = service.vietnam_today()
    asked = service.ImportRequest(
        data=file.file.read(),
        filename=file.filename or "upload",
        mapping=parse_mapping(mapping or []),
        year=year or today.year - 1,
        today=today,
    )
    preview = service.import_for(session, principal, actor_of(principal), commune_id, asked, commit)
    lang = language(request)
    return ImportPreview(
        commune_id=preview.commune_id,
        year=preview.year,
        committed=preview.committed,
        file_sha256=preview.file_sha256,
        counts=dict(preview.counts()),
        households=[
            OutcomeOut(code=o.code, row=o.row, action=o.action, changes=list(o.changes))
            for o in preview.outcomes
        ],
        refusals=[
            RefusalOut(
                row=r.row,
                column=r.column,
                problem=r.problem,
                detail=r.detail,
                message=r.message(lang),
            )
            for r in preview.refusals
        ],
        ignored_columns=preview.ignored,
    )
