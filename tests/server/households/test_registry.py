"""Listing, searching and reading households and members within scope."""

from __future__ import annotations

from fastapi.testclient import TestClient

from server.text import fold
from tests.server.conftest import World, login


def test_fold_removes_diacritics_case_and_spaces() -> None:
    assert fold("  Nguyễn Văn  QUYẾT ") == "nguyen van quyet"
    assert fold("Đặng Thị Đào") == "dang thi dao"


def test_officer_lists_the_communes_households(client: TestClient, world: World) -> None:
    page = client.get("/api/v1/households", headers=login(client, "commune_officer")).json()
    assert [item["code"] for item in page["items"]] == ["HH-A", "HH-B"]
    assert page["total"] == 2


def test_filters_by_hamlet_class_and_year(client: TestClient, world: World) -> None:
    viewer = login(client, "province_viewer")
    poor = client.get(
        "/api/v1/households", params={"household_class": "poor", "year": 2022}, headers=viewer
    ).json()
    assert [i["code"] for i in poor["items"]] == ["HH-A", "HH-C"]
    assert all(i["household_class"] == "poor" for i in poor["items"])
    latest = client.get(
        "/api/v1/households", params={"household_class": "not_poor"}, headers=viewer
    ).json()
    assert (latest["year"], [i["code"] for i in latest["items"]]) == (2022, ["HH-B"])
    none_in_2023 = client.get(
        "/api/v1/households", params={"household_class": "poor", "year": 2023}, headers=viewer
    ).json()
    assert none_in_2023["total"] == 0
    by_hamlet = client.get(
        "/api/v1/households", params={"hamlet_id": world.hamlets["C"].id}, headers=viewer
    ).json()
    assert [i["code"] for i in by_hamlet["items"]] == ["HH-C"]


def test_pagination(client: TestClient, world: World) -> None:
    viewer = login(client, "province_viewer")
    first = client.get("/api/v1/households", params={"page_size": 2}, headers=viewer).json()
    second = client.get(
        "/api/v1/households", params={"page_size": 2, "page": 2}, headers=viewer
    ).json()
    assert first["total"] == second["total"] == 3
    assert [i["code"] for i in first["items"] + second["items"]] == ["HH-A", "HH-B", "HH-C"]


def test_search_without_diacritics(client: TestClient, world: World) -> None:
    officer = login(client, "commune_officer")
    for query in ("nguyen van quyet", "NGUYỄN VĂN QUYẾT", "van quyet"):
        found = client.get("/api/v1/households", params={"q": query}, headers=officer).json()
        assert [i["code"] for i in found["items"]] == ["HH-A"], query
    dao = client.get("/api/v1/households", params={"q": "tran thi dao"}, headers=officer).json()
    assert [i["code"] for i in dao["items"]] == ["HH-B"]
    wild = client.get("/api/v1/households", params={"q": "%"}, headers=officer).json()
    assert wild["total"] == 0


def test_member_search(client: TestClient, world: World) -> None:
    viewer = login(client, "province_viewer")
    found = client.get("/api/v1/members", params={"q": "pham thi"}, headers=viewer).json()
    assert [i["household_code"] for i in found["items"]] == ["HH-A", "HH-B", "HH-C"]
    assert all(i["full_name"].startswith("Phạm Thị") for i in found["items"])


def test_detail_has_history_and_reasons(client: TestClient, world: World) -> None:
    household = world.households["A"]
    detail = client.get(
        f"/api/v1/households/{household.id}",
        headers={**login(client, "enumerator"), "Accept-Language": "en"},
    ).json()
    assert detail["code"] == "HH-A"
    assert detail["area"] == "urban"
    assert [(h["year"], h["household_class"], h["stands"]) for h in detail["history"]] == [
        (2022, "poor", True)
    ]
    latest = detail["latest"]
    assert latest["class"] == "poor"
    assert len(latest["deprived"]) >= 3
    reason = latest["indicators"][latest["deprived"][0]]["reason"]
    assert reason
    assert reason.isascii()


def test_national_ids_are_masked_for_roles_that_do_not_need_them(
    client: TestClient, world: World
) -> None:
    path = f"/api/v1/households/{world.households['A'].id}"
    full = client.get(path, headers=login(client, "enumerator")).json()["members"][0]
    masked = client.get(path, headers=login(client, "province_viewer")).json()["members"][0]
    assert full["national_id"] == "038080001234"
    assert masked["national_id"].endswith("234")
    assert "038080" not in masked["national_id"]
    members = client.get("/api/v1/members", headers=login(client, "hamlet_head")).json()
    assert members["items"][0]["national_id"] != "038080001234"


def test_create_household(client: TestClient, world: World) -> None:
    head = login(client, "hamlet_head")
    body = {
        "hamlet_id": world.hamlets["A"].id,
        "code": "HH-A-2",
        "head_name": "Võ Văn Tám",
        "members": [{"member_no": "1", "full_name": "Võ Văn Tám", "relation": "head"}],
    }
    created = client.post("/api/v1/households", json=body, headers=head)
    assert created.status_code == 201
    assert created.json()["history"] == []
    assert created.json()["latest"] is None
    found = client.get("/api/v1/households", params={"q": "vo van tam"}, headers=head).json()
    assert [i["code"] for i in found["items"]] == ["HH-A-2"]
    again = client.post("/api/v1/households", json=body, headers=head)
    assert (again.status_code, again.json()["error"]) == (409, "household_code_taken")


def test_missing_household_is_not_found(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/households/999999", headers=login(client, "admin"))
    assert (response.status_code, response.json()["error"]) == (404, "not_found")
