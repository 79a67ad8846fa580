"""A round by score (Circular 07/2021): the round names its income method and table, the
commune's region and the hamlet's area choose the points, and a household classified by score
shows its points per item, over HTTP end to end."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.geography import repository as geography
from server.geography.service import set_region
from tests.server.conftest import PASSWORD
from tests.server.review.conftest import Api, Commune, survey

ROUND = "/review/rounds"
B1 = Path(__file__).parents[2] / "shared" / "forms" / "answers" / "score_b1_example.yaml"


def _b1(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load(B1.read_text("utf-8"))["answers"]
    return {"form_id": "score_b1", "form_version": 1, "answers": {**answers, **changes}}


def _round_by_score(api: Api, commune_id: int, status: int = 201, **extra: Any) -> Any:
    body = {"commune_id": commune_id, "year": 2023, "income_method": "score", **extra}
    return api.call("commune_officer", "POST", ROUND, status, json=body)


def _case_of(api: Api, round_id: int, household_id: int) -> dict[str, Any]:
    cases = api.call("commune_officer", "GET", f"/review/cases?round_id={round_id}")
    found: dict[str, Any] = next(c for c in cases if c["household_id"] == household_id)
    return found


def _in_demo_region(session: Session, commune: Commune) -> None:
    """Put commune 1 (Thanh Hóa, urban khu phố) in the demo town's region."""
    found = geography.commune(session, commune.world.commune_ids[0])
    assert found is not None
    set_region(session, SYSTEM, found, "north_central_central_coast")
    session.commit()


def test_a_round_by_score_classifies_through_phieu_b1_end_to_end(
    api: Api, commune: Commune, session: Session
) -> None:
    commune_id = commune.world.commune_ids[0]
    # The example table gives points by region: a commune without one is refused.
    refused = _round_by_score(api, commune_id, 422, score_table="example-b1")
    assert refused["error"] == "no_commune_region"
    _in_demo_region(session, commune)
    shown_commune = api.call("commune_officer", "GET", f"/communes/{commune_id}")
    assert shown_commune["region"] == "north_central_central_coast"

    round_ = _round_by_score(api, commune_id, score_table="example-b1")
    assert (round_["income_method"], round_["score_table"]) == ("score", "example-b1")
    assert round_["score_table_example"] is True
    case = _case_of(api, round_["id"], commune.household_id("HH-A"))

    # The Phiếu B1 may come before the survey: kept, nothing classified yet.
    kept = api.call("enumerator", "POST", f"/review/cases/{case['id']}/score", json=_b1())
    assert kept["engine_class"] is None
    assert kept["score"]["answered"] is True
    assert kept["score"]["items"] == []

    api.call("enumerator", "POST", "/submissions", 201, json=survey(commune, "HH-A", "poor"))
    api.call("commune_officer", "POST", f"{ROUND}/{round_['id']}/collect")
    # Vietnamese by default.
    shown = api.call("commune_officer", "GET", f"/review/cases/{case['id']}")
    score = shown["score"]
    assert (score["region"], score["area"]) == ("north_central_central_coast", "urban")
    assert score["region_name"] == "Bắc Trung Bộ và duyên hải miền Trung"
    assert {line["label"]: line["points"] for line in score["items"]} == {
        "Điểm gốc theo vùng và khu vực": 85,
        "Có người tốt nghiệp THPT trở lên": 15,
        "Có người làm công ăn lương ổn định": 20,
        "Nhà bán kiên cố": 10,
        "Dùng nước máy": 5,
        "Nhà tiêu tự hoại, bán tự hoại": 5,
        "Có xe máy": 8,
        "Có tủ lạnh": 5,
    }
    assert (score["total"], score["line"], score["at_or_below_line"]) == (153, 175, True)
    # At or below the line by score, with the survey's three or more deprivations: poor.
    assert score["household_class"] == shown["engine_class"] == "poor"
    assert shown["state"] == "surveyed"

    # A car found on a second look: 40 more points, above the urban line, not poor.
    corrected = api.call(
        "enumerator", "POST", f"/review/cases/{case['id']}/score", json=_b1(car=True)
    )
    assert (corrected["score"]["total"], corrected["engine_class"]) == (193, "not_poor")
    assert corrected["score"]["at_or_below_line"] is False

    # The console's case page prints the same points, in Vietnamese.
    page = _console_page(api.client, f"/cases/{case['id']}")
    assert "Thu nhập ước tính theo điểm (Phiếu B1)" in page
    assert "Bảng điểm ví dụ: điểm tự đặt, không phải điểm chính thức" in page
    assert re.search(r"<th scope=\"row\">Có ô tô</th><td>40</td>", page)
    assert "193 điểm, trên ngưỡng 175 điểm: thu nhập trên chuẩn nghèo." in page


def _console_page(client: TestClient, path: str) -> str:
    """Return the console page at ``path`` as the commune officer sees it."""
    form = client.get("/").text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token is not None
    signed_in = client.post(
        "/signin",
        data={"username": "commune_officer", "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303, signed_in.text[:300]
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    text: str = response.text
    return text


def test_a_case_without_its_phieu_b1_waits_undetermined(
    api: Api, commune: Commune, session: Session
) -> None:
    _in_demo_region(session, commune)
    round_ = _round_by_score(api, commune.world.commune_ids[0], score_table="example-b1")
    case = _case_of(api, round_["id"], commune.household_id("HH-A"))
    api.call("enumerator", "POST", "/submissions", 201, json=survey(commune, "HH-A", "poor"))
    api.call("commune_officer", "POST", f"{ROUND}/{round_['id']}/collect")
    shown = api.call("commune_officer", "GET", f"/review/cases/{case['id']}")
    assert shown["engine_class"] == "undetermined"
    assert shown["score"]["answered"] is False


def test_a_phieu_b1_is_checked_against_its_form(
    api: Api, commune: Commune, session: Session
) -> None:
    _in_demo_region(session, commune)
    round_ = _round_by_score(api, commune.world.commune_ids[0], score_table="example-b1")
    case = _case_of(api, round_["id"], commune.household_id("HH-A"))
    path = f"/review/cases/{case['id']}/score"
    invalid = api.call("enumerator", "POST", path, 422, json=_b1(dependents=9))
    assert invalid["error"] == "validation_failed"
    other_form = {**_b1(), "form_version": 2}
    assert api.call("enumerator", "POST", path, 422, json=other_form)["error"] == (
        "score_form_mismatch"
    )
    # Outside the enumerator's hamlet.
    other = _case_of(api, round_["id"], commune.household_id("B-poor"))
    api.call("enumerator", "POST", f"/review/cases/{other['id']}/score", 403, json=_b1())


def test_measured_rounds_and_the_income_procedures_do_not_score(
    api: Api, commune: Commune, session: Session
) -> None:
    commune_id = commune.world.commune_ids[0]
    _in_demo_region(session, commune)
    measured = api.call(
        "commune_officer", "POST", ROUND, 201, json={"commune_id": commune_id, "year": 2023}
    )
    assert (measured["income_method"], measured["score_table"]) == ("measured", None)
    case = _case_of(api, measured["id"], commune.household_id("HH-A"))
    refused = api.call("enumerator", "POST", f"/review/cases/{case['id']}/score", 409, json=_b1())
    assert refused["error"] == "not_by_score"
    average = _round_by_score(
        api, commune_id, 422, procedure="average_living", month=10, score_table="example-b1"
    )
    assert average["error"] == "score_for_poor_only"


def test_without_a_table_the_round_takes_the_provinces_or_refuses(
    api: Api, commune: Commune, session: Session
) -> None:
    _in_demo_region(session, commune)
    refused = _round_by_score(api, commune.world.commune_ids[0], 422)
    assert refused["error"] == "no_score_table"
    unknown = _round_by_score(api, commune.world.commune_ids[0], 422, score_table="no-such")
    assert unknown["error"] == "unknown_score_table"


def test_the_tables_are_listed_with_the_example_marked(api: Api, commune: Commune) -> None:
    tables = api.call("enumerator", "GET", "/score-tables")
    example = next(t for t in tables if t["id"] == "example-b1")
    assert example["example_only"] is True
    assert example["shipped"] is True
    assert "VÍ DỤ" in example["title"]
    assert "EXAMPLE" in example["title"]
    assert example["form"] == "score_b1/1"
