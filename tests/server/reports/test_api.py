"""The reports API: who reads which commune, targets and their progress, the year's changes
across two years, the roll-up under legacy codes, catalog errors."""

from __future__ import annotations

import random
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.demo.population import random_household
from server.households.service import record_classification
from shared.engine import classify, parse_household
from tests.server.conftest import World, login


def _base(world: World, commune: int = 0, year: int = 2022) -> str:
    return f"/api/v1/reports/communes/{world.commune_ids[commune]}/years/{year}"


@pytest.mark.parametrize(
    ("username", "commune", "status"),
    [
        ("commune_officer", 0, 200),
        ("commune_chair", 0, 200),
        ("province_viewer", 0, 200),
        ("province_viewer", 2, 403),
        ("officer_c2", 0, 403),
        ("enumerator", 0, 403),
        ("hamlet_head", 0, 403),
        ("admin", 0, 403),
    ],
)
def test_who_reads_a_commune_report(
    client: TestClient, world: World, username: str, commune: int, status: int
) -> None:
    answer = client.get(f"{_base(world, commune)}/hamlet-table", headers=login(client, username))
    assert answer.status_code == status


def test_hamlet_table_formats(client: TestClient, world: World) -> None:
    headers = login(client, "commune_officer")
    table = client.get(f"{_base(world)}/hamlet-table", headers=headers).json()
    assert [row["code"] for row in table["rows"]] == ["KP1", "KP2"]
    assert table["total"]["now"]["poor"] == 1
    assert table["total"]["now"]["households"] == 2
    text = client.get(f"{_base(world)}/hamlet-table?format=csv", headers=headers).text
    assert text.splitlines()[-1].startswith(",Tổng cộng,2,")
    pdf = client.get(f"{_base(world)}/hamlet-table?format=pdf", headers=headers)
    assert pdf.content.startswith(b"%PDF")


def test_changes_between_years(client: TestClient, world: World, session: Session) -> None:
    # Household A was poor in 2022; it exits in 2023, and falls back in 2024. B enters the
    # near-poor list in 2023.
    rng = random.Random(3)

    def reclassify(key: str, target: str, year: int) -> None:
        document = random_household(rng, f"HH-{key}", date(year, 12, 1), "urban", target)
        result = classify(parse_household(document))
        record_classification(session, SYSTEM, world.households[key], result, year, "import")

    reclassify("A", "not_poor", 2023)
    reclassify("B", "near_poor", 2023)
    reclassify("A", "poor", 2024)
    session.commit()
    headers = login(client, "commune_chair")
    t2023 = client.get(f"{_base(world, year=2023)}/hamlet-table", headers=headers).json()
    assert t2023["total"]["start"]["poor"] == 1
    assert t2023["total"]["now"]["poor"] == 0
    assert t2023["total"]["now"]["near_poor"] == 1
    assert t2023["total"]["changes"] == {
        "exited_poor": 1,
        "exited_near_poor": 0,
        "newly_poor": 0,
        "newly_near_poor": 1,
        "fell_back": 0,
    }
    t2024 = client.get(f"{_base(world, year=2024)}/hamlet-table", headers=headers).json()
    assert t2024["total"]["changes"]["fell_back"] == 1
    assert t2024["total"]["changes"]["newly_poor"] == 0
    # B was not reviewed in 2024: it keeps its 2023 class.
    assert t2024["total"]["now"]["near_poor"] == 1


def test_targets_and_progress(client: TestClient, world: World) -> None:
    base = _base(world, year=2023)
    body = {
        "commune": {"poor": 0, "near_poor": 1},
        "hamlets": {"KP1": {"poor": 0}},
        "services": {"housing_quality": 75.0},
    }
    assert (
        client.put(f"{base}/targets", json=body, headers=login(client, "enumerator")).status_code
        == 403
    )
    answer = client.put(f"{base}/targets", json=body, headers=login(client, "commune_chair"))
    assert answer.status_code == 200, answer.json()
    found = client.get(f"{base}/targets", headers=login(client, "province_viewer")).json()
    assert found["poor"] == {
        "household_class": "poor",
        "start": 1,
        "start_rate": 50.0,
        "target": 0,
        "target_rate": 0.0,
        "now": 1,
        "now_rate": 50.0,
        "remaining": 1,
        "met": False,
        "unit": "households",
    }
    assert found["hamlets"][0]["poor"]["target"] == 0
    assert found["hamlets"][1]["poor"]["target"] is None
    housing = next(s for s in found["services"] if s["target"]["key"] == "housing_quality")
    assert housing["target"]["percent"] == 75.0
    latrine = next(s for s in found["services"] if s["target"]["key"] == "latrine")
    assert latrine["target"]["percent"] == 90.0
    unknown = client.put(
        f"{base}/targets", json={"services": {"cars": 10}}, headers=login(client, "commune_officer")
    )
    assert unknown.json()["error"] == "unknown_service_target"
    missing = client.put(
        f"{base}/targets", json={"hamlets": {"NOPE": {}}}, headers=login(client, "commune_officer")
    )
    assert missing.json()["error"] == "not_found"


def test_targets_in_their_units(client: TestClient, world: World) -> None:
    base = _base(world, year=2023)
    officer = login(client, "commune_officer")
    found = client.get(f"{base}/targets", headers=officer).json()
    units = {s["target"]["key"]: s["target"]["unit"] for s in found["services"]}
    # Seed 003's units: the near-poor's health insurance in persons ("khẩu"), schooling in
    # children, the rest in households.
    assert units["health_insurance"] == "persons"
    assert units["child_schooling"] == "children"
    assert units["latrine"] == "households"
    # Seed 003's 2.6 counts the same target in households; a commune may too.
    body = {"services": {"health_insurance": {"percent": 95, "unit": "households"}}}
    answer = client.put(f"{base}/targets", json=body, headers=officer)
    assert answer.status_code == 200, answer.json()
    insured = next(s for s in answer.json()["services"] if s["target"]["key"] == "health_insurance")
    assert insured["target"]["unit"] == "households"
    assert insured["target"]["title"] == "Hộ cận nghèo tham gia BHYT"
    assert insured["total"] == insured["households"]
    # A percentage alone keeps the unit set.
    kept = client.put(
        f"{base}/targets", json={"services": {"health_insurance": 90}}, headers=officer
    )
    insured = next(s for s in kept.json()["services"] if s["target"]["key"] == "health_insurance")
    assert (insured["target"]["percent"], insured["target"]["unit"]) == (90.0, "households")
    refused = client.put(
        f"{base}/targets",
        json={"services": {"latrine": {"percent": 90, "unit": "persons"}}},
        headers=officer,
    )
    assert refused.status_code == 422
    assert refused.json()["error"] == "target_unit_not_allowed"


def test_deprivations_lists_and_bundle(client: TestClient, world: World) -> None:
    headers = login(client, "commune_officer")
    found = client.get(f"{_base(world)}/deprivations", headers=headers).json()
    assert found["commune"]["poor"] == 1
    assert len(found["commune"]["indicators"]) == 12
    assert found["commune"]["adjusted"]["k"] == 3
    assert "ethnic_minority" in found["unrecorded_groups"]
    listed = client.get(f"{_base(world)}/lists", headers=headers).json()
    assert [h["code"] for h in listed] == ["HH-A"]
    assert listed[0]["members"][0]["national_id"] == "038080001234"
    hidden = client.get(f"{_base(world)}/lists", headers=login(client, "commune_chair")).json()
    assert hidden[0]["members"][0]["national_id"] is None
    sector = client.get(f"{_base(world)}/bundles/sector?format=xlsx", headers=headers)
    assert sector.status_code == 200
    assert client.get(f"{_base(world)}/bundles/weekly", headers=headers).status_code == 422


def test_rollup_by_province_and_legacy_district(client: TestClient, world: World) -> None:
    province = world.province_ids[0]
    viewer = login(client, "province_viewer")
    url = f"/api/v1/reports/provinces/{province}/years/2022/rollup"
    found = client.get(url, headers=viewer).json()
    assert [c["code"] for c in found["communes"]] == ["15001", "15002"]
    assert found["total"]["households"] == 3
    assert found["total"]["poor"] == 2
    legacy = client.get(url, params={"legacy_district": "390"}, headers=viewer).json()
    assert [c["legacy_commune_code"] for c in legacy["communes"]] == ["15001"]
    other = f"/api/v1/reports/provinces/{world.province_ids[1]}/years/2022/rollup"
    assert client.get(other, headers=viewer).status_code == 403
    assert client.get(url, headers=login(client, "commune_officer")).status_code == 403
