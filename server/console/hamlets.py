"""Reorganising the commune's hamlets (thôn, tổ dân phố; issue 20): merge two or more into one,
new or one of them, or rename one. The officer first sees what will change (households, users,
boundary), then confirms; the page calls the service the command line calls
(``server.reorganisation``)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from server.auth.service import actor_of
from server.console.home import current_round
from server.console.i18n import today
from server.console.rendering import ConsoleRoute, page, redirect, translate
from server.console.session import Actor, Looker, Viewer
from server.db import DbSession
from server.geography.merges import RENAME, MergeRequest
from server.reorganisation import merge, preview, reorganisable
from shared.errors import ErrorCode, RasoatError

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PAGE = "/hamlets/merge"
AREAS = ("rural", "urban")


def _day(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="ngày theo dạng dd/mm/yyyy") from None


def _asked(
    hamlet_ids: list[int] | None,
    effective_on: str,
    name: str,
    into_id: str,
    code: str,
    area: str,
    rename: bool,
) -> MergeRequest:
    return MergeRequest(
        hamlet_ids=tuple(hamlet_ids or ()),
        effective_on=_day(effective_on),
        name=name or None,
        into_id=int(into_id) if into_id.isdigit() else None,
        code=code or None,
        area=area or None,
        rename=rename,
    )


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


def sketch(parts: list[dict[str, Any]], union: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return SVG paths of the hamlets' boundaries and of their union in a 300 × 300 box (north
    up, longitude scaled by the latitude's cosine), or None when none has a boundary."""
    if union is None:
        return None
    points = [point for ring in _rings(union) for point in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * squeeze, north - south) or 1.0
    scale = 280 / span

    def path(geometry: dict[str, Any]) -> str:
        return " ".join(
            "M"
            + " L".join(
                f"{10 + (x - west) * squeeze * scale:.1f},{10 + (north - y) * scale:.1f}"
                for x, y, *_ in ring
            )
            + " Z"
            for ring in _rings(geometry)
        )

    return {"union": path(union), "parts": [path(p) for p in parts]}


def _nav(session: DbSession, viewer: Viewer) -> list[object]:
    round_ = current_round(session, viewer)
    return [round_] if round_ else []


@router.get(PAGE)
def hamlets_page(request: Request, session: DbSession, viewer: Looker) -> Response:
    """The commune's hamlets in use, the merge and rename forms, and the changes made."""
    found = reorganisable(session, viewer.principal)
    names = {h.id: h.name for h in found.hamlets}
    return page(
        request,
        viewer,
        "hamlets.html",
        {
            "hamlets": found.hamlets,
            "households": found.households,
            "changes": found.changes,
            "names": names,
            "today": today(),
            "areas": AREAS,
            "nav_rounds": _nav(session, viewer),
        },
    )


@router.post(f"{PAGE}/preview")
def confirm_page(
    request: Request,
    session: DbSession,
    viewer: Actor,
    effective_on: Annotated[str, Form(max_length=10)],
    hamlet_ids: Annotated[list[int] | None, Form()] = None,
    name: Annotated[str, Form(max_length=120)] = "",
    into_id: Annotated[str, Form(max_length=12)] = "",
    code: Annotated[str, Form(max_length=32)] = "",
    area: Annotated[str, Form(max_length=8)] = "",
    rename: Annotated[bool, Form()] = False,
) -> Response:
    """What the merge or rename will change, with the button that makes it (nothing is
    written yet)."""
    asked = _asked(hamlet_ids, effective_on, name, into_id, code, area, rename)
    seen = preview(session, viewer.principal, asked)
    return page(
        request,
        viewer,
        "hamlets_confirm.html",
        {
            "seen": seen,
            "plan": seen.plan,
            "rename": seen.plan.kind == RENAME,
            "sketch": sketch(
                [h.boundary for h in seen.plan.parts if h.boundary], seen.plan.boundary
            ),
            "form": {
                "hamlet_ids": list(asked.hamlet_ids),
                "effective_on": effective_on,
                "name": name,
                "into_id": into_id,
                "code": code,
                "area": area,
                "rename": "true" if rename else "false",
            },
            "nav_rounds": _nav(session, viewer),
        },
    )


@router.post(PAGE)
def merge_hamlets(
    request: Request,
    session: DbSession,
    viewer: Actor,
    effective_on: Annotated[str, Form(max_length=10)],
    hamlet_ids: Annotated[list[int] | None, Form()] = None,
    name: Annotated[str, Form(max_length=120)] = "",
    into_id: Annotated[str, Form(max_length=12)] = "",
    code: Annotated[str, Form(max_length=32)] = "",
    area: Annotated[str, Form(max_length=8)] = "",
    rename: Annotated[bool, Form()] = False,
) -> Response:
    """Make the merge or rename the officer confirmed."""
    asked = _asked(hamlet_ids, effective_on, name, into_id, code, area, rename)
    principal = viewer.principal
    made = merge(session, principal, actor_of(principal), asked)
    message = (
        translate(request, "Hamlet renamed")
        if rename
        else translate(request, "Hamlets merged into %(name)s") % {"name": made.done.hamlet.name}
    )
    return redirect(request, viewer, PAGE, message)
