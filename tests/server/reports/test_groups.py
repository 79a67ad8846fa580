"""The reports by special group, cause of poverty and ethnic group count what the registry
records, on a commune built by hand whose counts are worked out below."""

from __future__ import annotations

import io
import random
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.demo.population import random_household
from server.households.service import (
    MemberData,
    SurveyFacts,
    record_classification,
    register_household,
)
from shared.engine import classify, parse_household
from tests.server.conftest import World, login


def _household(
    session: Session,
    world: World,
    hamlet: str,
    code: str,
    target: str,
    members: list[MemberData],
    facts: SurveyFacts | None = None,
) -> None:
    household = register_household(
        session,
        SYSTEM,
        world.hamlets[hamlet],
        code,
        members[0].full_name,
        members=members,
        facts=facts,
    )
    area = world.hamlets[hamlet].area
    document = random_household(random.Random(code), code, date(2022, 12, 15), area, target)
    result = classify(parse_household(document))
    assert result.household_class == target
    record_classification(session, SYSTEM, household, result, 2022, "import")


def _commune(session: Session, world: World) -> None:
    """Commune 1 already holds HH-A (poor: a man heads it, nothing else recorded) and HH-B (not
    poor). Added:

    G1 poor, hamlet A: a Thái man ("03") heads it, his Kinh wife; he has revolutionary merit.
        → ethnic minority, revolutionary merit.
    G2 poor, hamlet B: a Kinh woman heads it with her mother, both without labour capacity;
        the survey found no special group, causes lack of labour and illness.
        → female-headed, no labour capacity (from the members).
    G3 near-poor, hamlet B: a Kinh man heads it, his wife is Mường ("06"); one member without
        labour capacity, one with; the survey says revolutionary merit; cause lack of land.
        → ethnic minority (the wife), revolutionary merit (the survey); not no labour capacity.
    G4 not poor, hamlet A: a Thái head with revolutionary merit: on no list, counted nowhere.
    """
    _household(
        session,
        world,
        "A",
        "G1",
        "poor",
        [
            MemberData(
                "1",
                "Lò Văn Inh",
                relation="head",
                sex="male",
                ethnicity="03",
                revolutionary_merit=True,
            ),
            MemberData("2", "Nguyễn Thị Hoa", relation="spouse", sex="female", ethnicity="01"),
        ],
    )
    _household(
        session,
        world,
        "B",
        "G2",
        "poor",
        [
            MemberData(
                "1",
                "Trần Thị Lụa",
                relation="head",
                sex="female",
                ethnicity="01",
                no_labour_capacity=True,
            ),
            MemberData(
                "2",
                "Lê Thị Gái",
                relation="parent",
                sex="female",
                ethnicity="01",
                no_labour_capacity=True,
            ),
        ],
        SurveyFacts([], ["lack_labour", "illness_or_accident"]),
    )
    _household(
        session,
        world,
        "B",
        "G3",
        "near_poor",
        [
            MemberData(
                "1",
                "Phạm Văn Sơn",
                relation="head",
                sex="male",
                ethnicity="01",
                no_labour_capacity=False,
            ),
            MemberData(
                "2",
                "Bùi Thị Lan",
                relation="spouse",
                sex="female",
                ethnicity="06",
                no_labour_capacity=True,
            ),
        ],
        SurveyFacts(["revolutionary_merit"], ["lack_land"]),
    )
    _household(
        session,
        world,
        "A",
        "G4",
        "not_poor",
        [
            MemberData(
                "1",
                "Lò Văn Xôm",
                relation="head",
                sex="male",
                ethnicity="03",
                revolutionary_merit=True,
            )
        ],
    )
    session.commit()


def _base(world: World) -> str:
    return f"/api/v1/reports/communes/{world.commune_ids[0]}/years/2022"


def test_groups_causes_and_ethnic_groups_count_the_registry(
    client: TestClient, world: World, session: Session
) -> None:
    _commune(session, world)
    found = client.get(
        f"{_base(world)}/deprivations", headers=login(client, "commune_officer")
    ).json()
    groups = {g["group"]: (g["poor"], g["near_poor"]) for g in found["commune"]["groups"]}
    assert groups == {
        "female_headed": (1, 0),
        "ethnic_minority": (1, 1),
        "revolutionary_merit": (1, 1),
        "no_labour_capacity": (1, 0),
    }
    assert found["unrecorded_groups"] == []
    causes = {c["group"]: (c["poor"], c["near_poor"]) for c in found["causes"]}
    assert causes == {"illness_or_accident": (1, 0), "lack_labour": (1, 0), "lack_land": (0, 1)}
    peoples = {e["group"]: (e["poor"], e["near_poor"]) for e in found["ethnicities"]}
    assert peoples == {"": (1, 0), "01": (1, 1), "03": (1, 0)}
    by_hamlet = {
        h["area"]: {g["group"]: (g["poor"], g["near_poor"]) for g in h["groups"]}
        for h in found["hamlets"]
    }
    assert by_hamlet["Khu phố 2"]["no_labour_capacity"] == (1, 0)
    assert by_hamlet["Khu phố 1"]["ethnic_minority"] == (1, 0)


def test_a_commune_with_nothing_recorded_says_so(client: TestClient, world: World) -> None:
    found = client.get(
        f"{_base(world)}/deprivations", headers=login(client, "commune_officer")
    ).json()
    # HH-A's head has a sex on record, nothing else: only female-headed can be counted.
    assert sorted(found["unrecorded_groups"]) == [
        "ethnic_minority",
        "no_labour_capacity",
        "revolutionary_merit",
    ]
    assert found["causes"] == []
    assert [(e["group"], e["poor"]) for e in found["ethnicities"]] == [("", 1)]


def test_the_workbook_prints_names_not_codes(
    client: TestClient, world: World, session: Session
) -> None:
    _commune(session, world)
    annual = client.get(
        f"{_base(world)}/bundles/annual",
        params={"format": "xlsx"},
        headers=login(client, "commune_officer"),
    )
    book = load_workbook(io.BytesIO(annual.content))
    rows = {r[0]: r[1:3] for r in book["Nhom"].iter_rows(min_row=3, values_only=True)}
    assert rows["Hộ dân tộc thiểu số"] == (1, 1)
    assert rows["Hộ không có khả năng lao động"] == (1, 0)
    assert rows["Nguyên nhân: Thiếu đất sản xuất"] == (0, 1)
    assert rows["Dân tộc của chủ hộ: Thái"] == (1, 0)
    assert rows["Dân tộc của chủ hộ: chưa ghi nhận"] == (1, 0)
    listed = list(book["Danh sach"].iter_rows(min_row=3, values_only=True))
    assert {r[7] for r in listed} <= {"Nam", "Nữ", None}
    assert "Chủ hộ" in {r[8] for r in listed}
