"""Hamlet boundaries: valid GeoJSON polygons only, set by admins in scope."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.geography import repository
from server.geography.service import import_boundaries, validate_boundary
from shared.errors import RasoatError
from tests.server.conftest import World, login

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[105.6, 20.0], [105.61, 20.0], [105.61, 20.01], [105.6, 20.01], [105.6, 20.0]]
    ],
}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.mark.parametrize(
    "geometry",
    [
        BOWTIE,
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": "x"},
        {"type": "Polygon", "coordinates": [[[500, 0], [501, 1], [501, 0], [500, 0]]]},
        "nope",
    ],
)
def test_invalid_boundaries_are_refused(geometry: Any) -> None:
    with pytest.raises(RasoatError) as caught:
        validate_boundary(geometry, "KP1")
    assert caught.value.code == "invalid_boundary"


def test_admin_sets_a_boundary(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    hamlet_id = world.hamlets["A"].id
    response = client.put(
        f"/api/v1/hamlets/{hamlet_id}/boundary",
        json={"geometry": {"type": "Feature", "properties": {}, "geometry": SQUARE}},
        headers=admin,
    )
    assert response.status_code == 200
    assert response.json()["boundary"]["type"] == "Polygon"
    bad = client.put(
        f"/api/v1/hamlets/{hamlet_id}/boundary", json={"geometry": BOWTIE}, headers=admin
    )
    assert (bad.status_code, bad.json()["error"]) == (422, "invalid_boundary")


def test_import_matches_features_by_hamlet_code(session: Session, world: World) -> None:
    commune = repository.commune(session, world.commune_ids[0])
    assert commune is not None
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "KP1"}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"code": "KP9"}, "geometry": SQUARE},
        ],
    }
    assert import_boundaries(session, SYSTEM, commune, collection) == (1, ["KP9"])
    assert world.hamlets["A"].boundary is not None


def test_commune_keeps_legacy_codes(client: TestClient, world: World) -> None:
    commune = client.get(
        f"/api/v1/communes/{world.commune_ids[0]}", headers=login(client, "commune_chair")
    ).json()
    assert (commune["legacy_district_code"], commune["kind"]) == ("390", "thi_tran")
