"""The map of the commune's households, coloured by class or by the round's state, clustered,
over the hamlet boundaries; Leaflet and its cluster plugin are vendored and no tiles are
loaded (the office may have no internet)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request, Response

from server.console.home import current_round
from server.console.rendering import CLASS_NAMES, ConsoleRoute, gettext, page
from server.console.session import Looker
from server.db import DbSession
from server.geography import service as geography
from server.households import service as households
from server.households.repository import latest_year
from server.review import repository as rounds
from shared.review.states import LABELS, CaseState

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/map")
def map_page(request: Request, session: DbSession, viewer: Looker) -> Response:
    """The map page; its data comes from /map/data."""
    round_ = current_round(session, viewer)
    tr = gettext(request)
    labels = {
        "classes": {code: tr(name) for code, name in CLASS_NAMES.items()},
        "states": {state.value: LABELS[state][viewer.lang] for state in CaseState},
    }
    return page(
        request,
        viewer,
        "map.html",
        {"nav_rounds": [round_] if round_ else [], "map_labels": labels},
    )


@router.get("/map/data")
def map_data(session: DbSession, viewer: Looker) -> Response:
    """GeoJSON of the hamlets in scope (boundaries) and of their households (points with
    code, head, hamlet, class of the latest year and state in the current round)."""
    principal = viewer.principal
    year = latest_year(session)
    found = households.household_points(session, principal, year)
    states: dict[int, str] = {}
    round_ = current_round(session, viewer)
    if round_ is not None:
        # The cases' own rows: the queue's views (surveys, members, results) are not needed.
        states = {
            case.household_id: case.state
            for case in rounds.cases(session, principal.scope, round_.id, None, None)
        }
    points: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "code": code,
                "head": head,
                "hamlet": hamlet,
                "class": household_class,
                "state": states.get(household_id),
            },
        }
        for household_id, code, head, hamlet, latitude, longitude, household_class in found
    ]
    boundaries = [
        {"type": "Feature", "geometry": h.boundary, "properties": {"name": h.name}}
        for h in geography.visible_hamlets(session, principal, None)
        if h.boundary
    ]
    body = {
        "year": year,
        "hamlets": {"type": "FeatureCollection", "features": boundaries},
        "households": {"type": "FeatureCollection", "features": points},
    }
    return Response(orjson.dumps(body), media_type="application/geo+json")
