"""The commune's gap to its targets through the API, on a world built by hand: commune 1 has
two poor households in hamlet KP1 and a near-poor one in KP2, classified for 2024 from
documents whose deprivations are set on purpose, and a target of one poor household."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.households.models import Household
from server.households.service import record_classification, register_household
from shared.engine import classify, parse_household
from tests.server.conftest import World, login
from tests.shared.golden import apply_patch

BASE = yaml.safe_load(
    (Path(__file__).parents[2] / "shared" / "exit_paths" / "vn-2022-2025.yaml").read_text(
        encoding="utf-8"
    )
)["base"]
ADULT = {
    "member_id": "5",
    "birth_date": "2004-01-01",
    "sex": "male",
    "relation": "child",
    "employment": "unemployed",
    "pension": False,
    "disability": "none",
    "health_insurance": True,
    "education": "lower_secondary",
    "in_school": False,
}
# Urban line 2,000,000: every household is under it.
DOCUMENTS: dict[str, dict[str, Any]] = {
    # Latrine, water, house: one of the first two takes it to near-poor.
    "A": {
        "latrine": "simple_pit",
        "water_source": "surface_water",
        "housing": {"walls": "bamboo", "roof": "thatch"},
    },
    # Two cards, a latrine, an adult's schooling and work: two actions are needed.
    "A2": {
        "latrine": "none",
        "members": {0: {"health_insurance": False}, 1: {"health_insurance": False}},
    },
    # Near-poor, without a latrine.
    "B": {"latrine": "none"},
}


def _classify(session: Session, household: Household, key: str) -> None:
    document = apply_patch(
        {**BASE, "household_id": f"HH-{key}", "reference_date": "2024-10-01", "area": "urban"},
        DOCUMENTS[key],
    )
    if key == "A2":
        document["members"] = [*document["members"], ADULT]
    result = classify(parse_household(document))
    record_classification(session, SYSTEM, household, result, 2024, "import")


@pytest.fixture
def planned(client: TestClient, world: World, session: Session) -> str:
    second = register_household(session, SYSTEM, world.hamlets["A"], "HH-A2", "Phạm Văn Hai")
    _classify(session, world.households["A"], "A")
    _classify(session, second, "A2")
    _classify(session, world.households["B"], "B")
    session.commit()
    base = f"/api/v1/reports/communes/{world.commune_ids[0]}/years/2024"
    body = {"commune": {"poor": 1}, "hamlets": {"KP1": {"poor": 1}}}
    answer = client.put(f"{base}/targets", json=body, headers=login(client, "commune_chair"))
    assert answer.status_code == 200, answer.json()
    return f"{base}/gap"


def test_gap_to_the_targets_by_hand(client: TestClient, planned: str) -> None:
    gap = client.get(planned, headers=login(client, "commune_officer")).json()
    commune = gap["commune"]
    assert (commune["households"], commune["poor"], commune["near_poor"]) == (3, 2, 1)
    # Target one poor household: HH-A needs one action (its latrine), HH-A2 two; HH-A goes.
    assert (commune["poor_target"], commune["to_lift"], commune["liftable"]) == (1, 1, 1)
    # Seed 003's service targets over the two poor households: latrines 90 % → 2 (HH-A's
    # planned, HH-A2's added); water 100 % → 2, HH-A lacks it; houses 70 % → 2, HH-A lacks
    # one. The near-poor household needs nothing: its latrine has no target.
    assert commune["units"] == {"latrine": 2, "water_source": 1, "housing_quality": 1}
    assert commune["budget"]["vi"] == "2 nhà tiêu hợp vệ sinh, 1 nguồn nước hợp vệ sinh, 1 nhà"
    # What-if: HH-A has nothing left (near-poor); HH-A2 keeps cards, schooling and work (poor).
    assert commune["what_if"] == {
        "poor": 1,
        "near_poor": 2,
        "poor_rate": 33.33,
        "near_poor_rate": 66.67,
        "leave_poverty": 1,
        "leave_lists": 0,
    }
    latrines = next(s for s in commune["services"] if s["key"] == "latrine")
    assert (latrines["households"], latrines["reached"], latrines["required"]) == (2, 0, 2)
    assert latrines["percent_after"] == 100.0
    hamlets = {h["code"]: h for h in gap["hamlets"]}
    assert hamlets["KP1"]["units"] == commune["units"]
    assert hamlets["KP2"]["units"] == {}
    assert hamlets["KP2"]["poor_target"] is None


@pytest.mark.parametrize(
    ("username", "status"),
    [("commune_chair", 200), ("province_viewer", 200), ("officer_c2", 403), ("enumerator", 403)],
)
def test_who_reads_the_gap(client: TestClient, planned: str, username: str, status: int) -> None:
    assert client.get(planned, headers=login(client, username)).status_code == status


def test_gap_as_a_workbook(client: TestClient, planned: str) -> None:
    answer = client.get(planned, params={"format": "xlsx"}, headers=login(client, "commune_chair"))
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:9] == [
        "Mã",
        "Địa bàn",
        "Số hộ",
        "Hộ nghèo",
        "Chỉ tiêu hộ nghèo",
        "Số hộ cần thoát nghèo",
        "Số nhà tiêu hợp vệ sinh",
        "Số nguồn nước hợp vệ sinh",
        "Số nhà",
    ]
    # The commune: 3 households, 2 poor, target 1, 1 to lift; 2 latrines, 1 water source,
    # 1 house; after: 1 poor (33.33 %), 2 near-poor (66.67 %), 1 leaves poverty.
    assert rows[2][2:] == [3, 2, 1, 1, 2, 1, 1, 1, 33.33, 2, 66.67, 1]
    assert [row[0] for row in rows[3:]] == ["KP1", "KP2"]
