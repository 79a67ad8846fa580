"""The household import's upload page: choose the commune's list (XLSX or CSV), see what it
would do (households to create, update, leave unchanged, and every refused row with its column
and reason), then import it whole. The same service as ``POST /api/v1/imports/households``;
plain forms, so it works without JavaScript.

The preview writes nothing and keeps nothing: the commit form asks for the file again and
carries the previewed file's SHA-256, so what is imported is exactly what was previewed
(``import_file_changed`` otherwise) without the server holding uploads between requests, which
another replica could not see.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import FileResponse

from server.auth.policy import Permission, Principal, require
from server.auth.service import actor_of
from server.console.i18n import N_, today
from server.console.rendering import ConsoleRoute, gettext, page, redirect
from server.console.session import Actor, Looker
from server.db import DbSession
from server.geography import service as geography
from server.ids import MAX_ID
from server.imports import service
from server.imports.template import SHIPPED
from shared.errors import ErrorCode, RasoatError

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

ACTION_NAMES = {
    "create": N_("Households to create"),
    "update": N_("Households to update"),
    "unchanged": N_("Households unchanged"),
    "refused": N_("Households refused"),
}
# What an update changes (server.imports.service._changes), in words.
CHANGE_NAMES = {
    "hamlet": N_("hamlet"),
    "head_name": N_("head of household"),
    "address": N_("address"),
    "members": N_("members"),
    "class": N_("last year's class"),
}
# The households listed on the page; the counts cover them all.
SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Year = Annotated[int, Form(ge=1990, le=2100)]
CommuneId = Annotated[int, Form(ge=1, le=MAX_ID)]
Upload = Annotated[UploadFile, File()]


def _may_import(principal: Principal) -> None:
    # The file sets last year's lists, which the review compares with (import_for).
    require(principal, Permission.MANAGE_REVIEW)
    require(principal, Permission.EDIT_HOUSEHOLDS)


def _import(
    session: DbSession,
    principal: Principal,
    commune_id: int,
    data: bytes,
    filename: str | None,
    year: int,
    commit: bool,
) -> service.Preview:
    """Return the import service's preview of the file, written when ``commit``."""
    asked = service.ImportRequest(
        data=data,
        filename=filename or "upload",
        mapping={},
        year=year,
        today=service.vietnam_today(),
    )
    return service.import_for(session, principal, actor_of(principal), commune_id, asked, commit)


@router.get("/imports")
def import_page(request: Request, session: DbSession, viewer: Looker) -> Response:
    """The upload form."""
    _may_import(viewer.principal)
    return page(
        request,
        viewer,
        "imports.html",
        {
            "communes": geography.visible_communes(session, viewer.principal),
            "commune_id": None,
            "year": today().year - 1,
            "preview": None,
        },
    )


@router.get("/imports/template")
def template(viewer: Looker) -> Response:
    """The template workbook with the Vietnamese headings, to fill in."""
    _may_import(viewer.principal)
    return FileResponse(SHIPPED, media_type=XLSX, filename=SHIPPED.name)


@router.post("/imports/preview")
def preview(
    request: Request,
    session: DbSession,
    viewer: Actor,
    file: Upload,
    commune_id: CommuneId,
    year: Year,
) -> Response:
    """What the file would do; nothing is written."""
    principal = viewer.principal
    _may_import(principal)
    found = _import(
        session, principal, commune_id, file.file.read(), file.filename, year, commit=False
    )
    tr = gettext(request)
    return page(
        request,
        viewer,
        "imports.html",
        {
            "communes": geography.visible_communes(session, principal),
            "commune_id": commune_id,
            "year": year,
            "preview": found,
            "filename": file.filename or "",
            "counts": [(tr(ACTION_NAMES[a]), a, n) for a, n in found.counts().items()],
            "households": found.outcomes[:SHOWN],
            "shown": SHOWN,
            "action_names": {a: tr(name) for a, name in ACTION_NAMES.items()},
            "change_names": {c: tr(name) for c, name in CHANGE_NAMES.items()},
            "reasons": [r.message(viewer.lang) for r in found.refusals],
            # A file with a refused row is imported only once corrected (import_households).
            "can_commit": not found.refusals and bool(found.outcomes),
        },
    )


@router.post("/imports/commit")
def commit(
    request: Request,
    session: DbSession,
    viewer: Actor,
    file: Upload,
    commune_id: CommuneId,
    year: Year,
    sha256: Annotated[str, Form(pattern="^[0-9a-f]{64}$")],
) -> Response:
    """Import the previewed file whole, or nothing; back to the page with what was done."""
    principal = viewer.principal
    _may_import(principal)
    data = file.file.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise RasoatError(ErrorCode.IMPORT_FILE_CHANGED)
    done = _import(session, principal, commune_id, data, file.filename, year, commit=True)
    counts = done.counts()
    message = gettext(request)(
        "Imported: %(create)s households created, %(update)s updated, %(unchanged)s unchanged"
    ) % {"create": counts["create"], "update": counts["update"], "unchanged": counts["unchanged"]}
    return redirect(request, viewer, "/imports", message)
