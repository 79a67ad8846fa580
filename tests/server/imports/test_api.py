"""``POST /api/v1/imports/households``: a preview in the caller's language, a commit that
writes the whole file, and a commit with refused rows that writes nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from server.imports.values import Cell
from tests.server.conftest import World, login
from tests.server.imports.sheets import csv_file, filled_template

HEADINGS = ["Thon", "MA HO", "Ho ten thanh vien", "Ngay sinh", "Gioi tinh", "Quan he", "Loai ho"]
ROWS: list[list[Cell]] = [
    ["Khu phố 1", "API-1", "Đỗ Văn Hải", "1980-04-02", "nam", "chủ hộ", "cận nghèo"],
    [None, None, "Đỗ Thị Hoa", "02/03/2010", "nữ", "con", None],
    ["KP2", "API-2", "Vũ Thị Lan", "7/8/1975", "Nữ", "Chủ hộ", "Không nghèo"],
]


def _post(client: TestClient, world: World, data: bytes, commit: bool, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/imports/households",
        data={"commune_id": str(world.commune_ids[0]), "year": "2025", "commit": str(commit)},
        files={"file": ("danh-sach.csv", data, "text/csv")},
        headers={**login(client, "commune_officer"), **headers},
    )


def test_preview_then_commit_through_the_api(client: TestClient, world: World) -> None:
    # Headings typed without diacritics, in capitals, with ";" as Excel writes in Vietnam.
    data = csv_file(HEADINGS, ROWS, delimiter=";")
    preview = _post(client, world, data, commit=False)
    assert preview.status_code == 200, preview.json()
    assert preview.json()["committed"] is False
    assert preview.json()["counts"] == {"create": 2, "update": 0, "unchanged": 0, "refused": 0}
    officer = login(client, "commune_officer", "other-device")
    listed = client.get("/api/v1/households", params={"q": "do van hai"}, headers=officer)
    assert listed.json()["total"] == 0

    done = _post(client, world, data, commit=True)
    assert done.status_code == 200, done.json()
    assert done.json()["committed"] is True
    found = client.get("/api/v1/households", params={"q": "do van hai"}, headers=officer).json()
    assert [h["code"] for h in found["items"]] == ["API-1"]
    detail = client.get(f"/api/v1/households/{found['items'][0]['id']}", headers=officer).json()
    assert [(m["full_name"], m["relation"], m["birth_date"]) for m in detail["members"]] == [
        ("Đỗ Văn Hải", "head", "1980-04-02"),
        ("Đỗ Thị Hoa", "child", "2010-03-02"),
    ]
    assert [(c["year"], c["household_class"], c["source"]) for c in detail["history"]] == [
        (2025, "near_poor", "import")
    ]


def test_refusals_in_vietnamese_or_english_and_a_refused_commit_writes_nothing(
    client: TestClient, world: World
) -> None:
    rows = [list(row) for row in ROWS]
    rows[1][3] = "30/02/2010"
    data = csv_file(HEADINGS, rows)
    vietnamese = _post(client, world, data, commit=False).json()
    assert [(r["row"], r["column"], r["problem"]) for r in vietnamese["refusals"]] == [
        (3, "Ngay sinh", "bad_date")
    ]
    assert vietnamese["refusals"][0]["message"].startswith("'30/02/2010' không phải ngày")
    english = _post(client, world, data, commit=False, **{"Accept-Language": "en"}).json()
    assert english["refusals"][0]["message"].startswith("'30/02/2010' is not a valid date")

    refused = _post(client, world, data, commit=True)
    assert refused.status_code == 422
    assert refused.json()["error"] == "import_refused"
    assert refused.json()["detail"]["refusals"][0]["problem"] == "bad_date"
    officer = login(client, "commune_officer", "other-device")
    listed = client.get("/api/v1/households", params={"q": "vu thi lan"}, headers=officer)
    assert listed.json()["total"] == 0


def test_a_file_that_is_no_list_is_refused_with_a_catalog_error(
    client: TestClient, world: World
) -> None:
    response = _post(client, world, b"%PDF-1.7 not a spreadsheet", commit=False)
    assert (response.status_code, response.json()["error"]) == (422, "import_unreadable")
    missing = _post(client, world, csv_file(["Họ tên", "Ngày sinh"], [["A", "1/1/1990"]]), False)
    assert (missing.status_code, missing.json()["error"]) == (422, "import_columns_missing")
    assert missing.json()["message"] == "Tệp thiếu cột bắt buộc: Mã hộ, Thôn/Tổ dân phố"
    no_hamlet = _post(client, world, csv_file(["Mã hộ", "Họ tên"], [["X", "A"]]), False)
    assert no_hamlet.json()["error"] == "import_columns_missing"
    assert no_hamlet.json()["message"] == "Tệp thiếu cột bắt buộc: Thôn/Tổ dân phố"


def test_an_xlsx_upload_passes_the_nul_guard_and_a_nul_field_does_not(
    client: TestClient, world: World
) -> None:
    # An XLSX is a zip full of NUL bytes: the file's content is bytes, never text.
    row: list[Cell] = ["Khu phố 1", "XL-1", "Đỗ Văn Hải", "Xóm 1", "Đỗ Văn Hải", "01/02/1980"]
    workbook = filled_template([[*row, "Nam", "Chủ hộ", None, None]])
    assert b"\x00" in workbook
    answer = client.post(
        "/api/v1/imports/households",
        data={"commune_id": str(world.commune_ids[0]), "year": "2025"},
        files={"file": ("danh-sach.xlsx", workbook, "application/octet-stream")},
        headers=login(client, "commune_officer"),
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["counts"]["create"] == 1
    nul = client.post(
        "/api/v1/imports/households",
        data={"commune_id": str(world.commune_ids[0]), "year": "2025", "map": "Mã\x00hộ=x"},
        files={"file": ("danh-sach.xlsx", workbook, "application/octet-stream")},
        headers=login(client, "commune_officer", "nul-device"),
    )
    assert (nul.status_code, nul.json()["error"]) == (422, "invalid_text")
