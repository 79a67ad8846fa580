"""The photos of the current round's surveys as a gallery, filtered by hamlet and question."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from server.console.cases import FIELD_NAMES
from server.console.home import current_round
from server.console.rendering import ConsoleRoute, gettext, page
from server.console.session import Looker
from server.db import DbSession
from server.review import service as review

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/photos")
def gallery(
    request: Request,
    session: DbSession,
    viewer: Looker,
    hamlet_id: Annotated[str, Query(max_length=12)] = "",
    question: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    """Every photo of the round's surveys in the viewer's scope, with its household."""
    tr = gettext(request)
    round_ = current_round(session, viewer)
    views = (
        []
        if round_ is None
        else review.list_cases(session, viewer.principal, round_.id, None, None)
    )
    photos = [
        (view, photo) for view in views if view.survey is not None for photo in view.survey.photos
    ]
    hamlets = sorted({(v.hamlet.id, v.hamlet.name) for v, _ in photos})
    questions = sorted({str(p.get("question") or "") for _, p in photos} - {""})
    chosen_hamlet = int(hamlet_id) if hamlet_id.isdigit() else None
    shown = [
        (v, p)
        for v, p in photos
        if (chosen_hamlet is None or v.hamlet.id == chosen_hamlet)
        and (not question or p.get("question") == question)
    ]
    return page(
        request,
        viewer,
        "photos.html",
        {
            "nav_rounds": [round_] if round_ else [],
            "round": round_,
            "photos": shown,
            "hamlets": hamlets,
            "questions": [(q, tr(FIELD_NAMES[q]) if q in FIELD_NAMES else q) for q in questions],
            "chosen_hamlet": chosen_hamlet,
            "chosen_question": question,
            "question_names": {q: tr(FIELD_NAMES[q]) for q in FIELD_NAMES},
        },
    )
