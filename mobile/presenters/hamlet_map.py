"""The offline hamlet map: each household's GPS point coloured by the state of its survey,
over the hamlet's boundary, fitted into the screen (no tiles: the tablet is offline).

Points are projected equirectangularly around the hamlet's middle (a hamlet is a few
kilometres across, where that is exact enough to find a house) into [0, 1] × [0, 1], the
same scale on both axes so shapes are not stretched."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mobile.forms import REVIEW_FORM
from mobile.i18n import Lang, tr
from mobile.store.records import UserStore

# The legend's order; a household's state is its latest survey's, "none" without one.
STATES = ("none", "draft", "ready", "sent", "returned")
COLOURS: dict[str, tuple[float, float, float, float]] = {
    "none": (0.55, 0.58, 0.62, 1),
    "draft": (0.95, 0.61, 0.07, 1),
    "ready": (0.05, 0.42, 0.60, 1),
    "sent": (0.15, 0.60, 0.30, 1),
    "returned": (0.78, 0.20, 0.12, 1),
}


@dataclass(frozen=True)
class MapPoint:
    household_id: int
    title: str
    state: str
    x: float
    y: float


@dataclass(frozen=True)
class MapView:
    points: tuple[MapPoint, ...]
    rings: tuple[tuple[tuple[float, float], ...], ...]
    legend: tuple[tuple[str, str, int], ...]
    missing: int
    message: str


def _rings(boundary: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    if not boundary:
        return []
    kind, coordinates = boundary.get("type"), boundary.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[(float(p[0]), float(p[1])) for p in polygon[0]] for polygon in polygons if polygon]


class HamletMapPresenter:
    def __init__(self, store: UserStore, hamlet_id: int, lang: Lang = "vi") -> None:
        self.store = store
        self.hamlet_id = hamlet_id
        self.lang = lang

    def view(self) -> MapView:
        """Return the points and boundary in [0, 1] × [0, 1] and the legend with counts."""
        hamlet = next((h for h in self.store.hamlets() if h.hamlet_id == self.hamlet_id), None)
        states = self.store.survey_states(REVIEW_FORM)
        placed: list[tuple[int, str, str, float, float]] = []
        missing = 0
        for household in self.store.households(self.hamlet_id):
            state = states.get(household.household_id, "none")
            if household.latitude is None or household.longitude is None:
                missing += 1
                continue
            title = f"{household.code} · {household.head_name}"
            placed.append(
                (household.household_id, title, state, household.longitude, household.latitude)
            )
        rings = _rings(hamlet.boundary if hamlet else None)
        every = [(lon, lat) for *_, lon, lat in placed] + [p for ring in rings for p in ring]
        project = _fit(every)
        points = tuple(
            MapPoint(hid, title, state, *project(lon, lat))
            for hid, title, state, lon, lat in placed
        )
        legend = tuple(
            (state, tr(f"status_{state}", self.lang), sum(p.state == state for p in points))
            for state in STATES
        )
        message = "" if points else tr("map_empty", self.lang)
        if points and missing:
            message = tr("map_missing", self.lang, n=missing)
        return MapView(
            points,
            tuple(tuple(project(lon, lat) for lon, lat in ring) for ring in rings),
            legend,
            missing,
            message,
        )


def _fit(lonlats: Sequence[tuple[float, float]]) -> Any:
    """Return a projection of (longitude, latitude) into the unit square holding them all."""
    if not lonlats:
        return lambda lon, lat: (0.5, 0.5)
    middle = sum(lat for _, lat in lonlats) / len(lonlats)
    squeeze = math.cos(math.radians(middle))
    xs = [lon * squeeze for lon, _ in lonlats]
    ys = [lat for _, lat in lonlats]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-6
    left = (min(xs) + max(xs)) / 2 - span / 2
    bottom = (min(ys) + max(ys)) / 2 - span / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return ((lon * squeeze - left) / span, (lat - bottom) / span)

    return project


def nearest(points: Sequence[MapPoint], x: float, y: float, reach: float) -> MapPoint | None:
    """Return the point nearest (x, y) within ``reach`` (unit-square distance), None if none."""
    best = min(points, key=lambda p: (p.x - x) ** 2 + (p.y - y) ** 2, default=None)
    if best is None or math.hypot(best.x - x, best.y - y) > reach:
        return None
    return best
