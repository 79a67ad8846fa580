"""Geofence: a survey's GPS point outside its hamlet's polygon by more than the fix's
accuracy is flagged with the distance in metres; nothing is ever rejected for where it was
taken."""

from __future__ import annotations

import math
import random
import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, shape
from shapely.ops import nearest_points
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.demo.population import random_household
from server.geography.service import set_boundary
from server.surveys.models import GeofenceFlag, Survey
from tests.server.conftest import World
from tests.server.sync.conftest import login, push

# Khu phố 1: a square about 1 km across, west 105.60°E to 105.61°E, south 20.00°N to 20.01°N.
WEST, EAST, SOUTH, NORTH = 105.60, 105.61, 20.00, 20.01
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
}
MIDDLE = (SOUTH + NORTH) / 2
EARTH_RADIUS_M = 6_371_008.8


def _haversine_m(a: Point, b: Point) -> float:
    """Return the great-circle distance in metres between two (longitude, latitude) points."""
    lat1, lat2 = math.radians(a.y), math.radians(b.y)
    dlat, dlon = lat2 - lat1, math.radians(b.x - a.x)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def _metres_outside(latitude: float, longitude: float) -> float:
    """Return the distance from the square to the point, measured on the sphere to the nearest
    point of the square's edge."""
    point = Point(longitude, latitude)
    nearest, _ = nearest_points(shape(SQUARE), point)
    return _haversine_m(nearest, point)


@pytest.fixture
def fenced(session: Session, world: World) -> World:
    """The world with Khu phố 1 mapped; the other hamlets have no polygon."""
    set_boundary(session, SYSTEM, world.hamlets["A"], SQUARE)
    session.commit()
    return world


def _survey(
    world: World, hamlet: str, latitude: float, longitude: float, accuracy_m: float | None
) -> dict[str, Any]:
    area = world.hamlets[hamlet].area
    answers = random_household(random.Random(hamlet), f"HH-{hamlet}", date(2023, 10, 2), area)
    return {
        "kind": "survey",
        "id": str(uuid.uuid4()),
        "household_id": world.households[hamlet].id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": answers,
        "location": {"latitude": latitude, "longitude": longitude, "accuracy_m": accuracy_m},
    }


def _flag(session: Session, survey_id: int) -> GeofenceFlag | None:
    return session.scalars(select(GeofenceFlag).where(GeofenceFlag.survey_id == survey_id)).first()


def test_a_point_inside_the_hamlet_is_not_flagged(
    client: TestClient, session: Session, fenced: World
) -> None:
    device = login(client, "enumerator")
    outcome = push(client, device, _survey(fenced, "A", MIDDLE, 105.605, 10.0))[0]
    assert (outcome["status"], outcome["result"]) == (201, "applied")
    assert outcome["geofence"] == {"inside": True, "distance_m": 0.0, "flagged": False}
    assert _flag(session, outcome["survey_id"]) is None


def test_a_point_outside_beyond_its_accuracy_is_flagged_with_the_distance_in_metres(
    client: TestClient, session: Session, fenced: World
) -> None:
    device = login(client, "enumerator")
    # East of the square, where a degree of longitude is shorter by cos(latitude).
    latitude, longitude = MIDDLE, EAST + 0.003
    expected = _metres_outside(latitude, longitude)
    outcome = push(client, device, _survey(fenced, "A", latitude, longitude, 20.0))[0]
    assert (outcome["status"], outcome["result"]) == (201, "applied")
    fence = outcome["geofence"]
    assert (fence["inside"], fence["flagged"]) == (False, True)
    assert fence["distance_m"] == pytest.approx(expected, rel=0.01)
    flag = _flag(session, outcome["survey_id"])
    assert flag is not None
    assert (flag.hamlet_id, flag.accuracy_m) == (fenced.hamlets["A"].id, 20.0)
    assert flag.distance_m == fence["distance_m"]


def test_the_distance_north_of_the_hamlet_is_measured_along_the_meridian(
    client: TestClient, fenced: World
) -> None:
    device = login(client, "enumerator")
    latitude, longitude = NORTH + 0.002, 105.605
    expected = _metres_outside(latitude, longitude)
    outcome = push(client, device, _survey(fenced, "A", latitude, longitude, 5.0))[0]
    assert outcome["geofence"]["flagged"] is True
    assert outcome["geofence"]["distance_m"] == pytest.approx(expected, rel=0.01)


def test_a_point_outside_but_within_its_accuracy_is_not_flagged(
    client: TestClient, session: Session, fenced: World
) -> None:
    device = login(client, "enumerator")
    latitude, longitude = MIDDLE, EAST + 0.0005
    outside = _metres_outside(latitude, longitude)
    assert 40 < outside < 60
    outcome = push(client, device, _survey(fenced, "A", latitude, longitude, 80.0))[0]
    fence = outcome["geofence"]
    assert (fence["inside"], fence["flagged"]) == (False, False)
    assert fence["distance_m"] == pytest.approx(outside, rel=0.01)
    assert _flag(session, outcome["survey_id"]) is None


def test_a_hamlet_without_a_polygon_flags_nothing(
    client: TestClient, session: Session, fenced: World
) -> None:
    device = login(client, "enumerator_b")
    outcome = push(client, device, _survey(fenced, "B", 10.0, 106.0, 5.0))[0]
    assert (outcome["status"], outcome["result"]) == (201, "applied")
    assert outcome.get("geofence") is None
    assert _flag(session, outcome["survey_id"]) is None


def test_a_survey_taken_far_away_is_flagged_but_never_rejected(
    client: TestClient, session: Session, fenced: World
) -> None:
    device = login(client, "enumerator")
    # Hà Nội, some 130 km north-east, with no accuracy reported.
    latitude, longitude = 21.0285, 105.8542
    outcome = push(client, device, _survey(fenced, "A", latitude, longitude, None))[0]
    assert (outcome["status"], outcome["result"]) == (201, "applied")
    assert outcome["geofence"]["flagged"] is True
    assert outcome["geofence"]["distance_m"] == pytest.approx(
        _metres_outside(latitude, longitude), rel=0.01
    )
    stored = session.get(Survey, outcome["survey_id"])
    assert stored is not None
    assert stored.household_id == fenced.households["A"].id
    assert _flag(session, outcome["survey_id"]) is not None


def test_a_survey_submitted_through_the_api_is_checked_the_same_way(
    client: TestClient, session: Session, fenced: World
) -> None:
    # The geofence belongs to receiving a survey, whatever road it came by: the tablet's sync
    # push or POST /surveys.
    latitude, longitude = MIDDLE, EAST + 0.003
    record = _survey(fenced, "A", latitude, longitude, 20.0)
    body = {
        "survey_uuid": record["id"],
        "household_id": record["household_id"],
        "form_id": record["form_id"],
        "form_version": record["form_version"],
        "answers": record["answers"],
        "location": record["location"],
    }
    response = client.post("/api/v1/surveys", json=body, headers=login(client, "enumerator"))
    assert response.status_code == 201, response.json()
    flag = _flag(session, response.json()["id"])
    assert flag is not None
    assert flag.distance_m == pytest.approx(_metres_outside(latitude, longitude), rel=0.01)
