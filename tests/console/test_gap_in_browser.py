"""The reports page of ``rasoat serve --demo`` in Chromium: the demo commune's 2023 targets
with their progress in their units (households, persons, children), the gap to them per
hamlet and for the commune with the what-if, and the same gap downloaded as XLSX; the figures
are those the JSON API gives at the same moment. Kept as a screenshot and checked by axe."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook
from playwright.sync_api import expect

from server.demo.commune import HAMLETS, PLAN_YEAR, POOR_TARGET
from server.demo.service import DEMO_PASSWORD
from tests.console.browser import look, sign_in


def _api_gap(console_url: str) -> tuple[int, dict[str, Any]]:
    with httpx.Client(base_url=console_url, timeout=60) as api:
        token = api.post(
            "/api/v1/auth/login",
            json={"username": "canbo", "password": DEMO_PASSWORD, "device_id": "gap-browser"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        commune_id = api.get("/api/v1/communes", headers=headers).json()[0]["id"]
        gap = api.get(
            f"/api/v1/reports/communes/{commune_id}/years/{PLAN_YEAR}/gap", headers=headers
        )
        assert gap.status_code == 200, gap.text
        found: dict[str, Any] = gap.json()
        return commune_id, found


def test_targets_gap_and_what_if_on_the_reports_page(
    browser_page: Any, console_url: str, screenshots: Path, tmp_path: Path
) -> None:
    page = browser_page
    sign_in(page, "canbo")
    commune_id, gap = _api_gap(console_url)
    page.goto(f"/reports?year={PLAN_YEAR}&commune_id={commune_id}")
    expect(page.locator("#targets-heading")).to_have_text(f"Chỉ tiêu năm {PLAN_YEAR} và tiến độ")

    # Poverty targets in households: the commune's row last, its target seed 000's five.
    commune_row = page.locator("#poverty-targets tbody tr.total td")
    expect(commune_row.nth(1)).to_have_text(str(POOR_TARGET))
    expect(page.locator("#poverty-targets tbody tr")).to_have_count(len(HAMLETS) + 1)

    # Service targets, each in its unit, in Vietnamese.
    services = page.locator("#service-targets tbody tr")
    expect(services).to_have_count(7)
    insured = services.filter(has_text="Khẩu cận nghèo tham gia bảo hiểm y tế")
    expect(insured.locator("td").first).to_have_text("khẩu")
    schooling = services.filter(has_text="Không còn trẻ em không đi học")
    expect(schooling.locator("td").first).to_have_text("trẻ em")
    latrines = services.filter(has_text="Hộ nghèo có nhà tiêu hợp vệ sinh")
    expect(latrines.locator("td").first).to_have_text("hộ")
    expect(latrines.locator("td").nth(1)).to_have_text("90 %")

    # The gap: one row per hamlet and the commune's, as the API counts it.
    rows = page.locator("#gap tbody tr")
    expect(rows).to_have_count(len(HAMLETS) + 1)
    commune = gap["commune"]
    total = page.locator("#gap tbody tr.total td")
    expect(total.nth(3)).to_have_text(str(commune["to_lift"]))
    expect(total.nth(4)).to_have_text(commune["budget"]["vi"])
    expect(total.nth(5)).to_contain_text(str(commune["what_if"]["poor"]))
    expect(total.nth(7)).to_have_text(str(commune["what_if"]["leave_poverty"]))
    # Health insurance is budgeted in persons or households, as its target counts it.
    assert "thẻ" not in commune["budget"]["vi"]
    for hamlet in gap["hamlets"]:
        row = rows.filter(has=page.locator("th", has_text=hamlet["name"]))
        expect(row.locator("td").nth(4)).to_have_text(hamlet["budget"]["vi"] or "Không cần thêm")
    look(page, screenshots, "gap-reports")

    # The same gap as a workbook.
    with page.expect_download() as waiting:
        page.click("text=Tải bảng khoảng cách đến chỉ tiêu (XLSX)")
    saved = tmp_path / "gap.xlsx"
    waiting.value.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    assert sheet is not None
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[1][:3] == ["Mã", "Địa bàn", "Số hộ"]
    assert cells[2][:6] == [
        commune["code"],
        commune["name"],
        commune["households"],
        commune["poor"],
        POOR_TARGET,
        commune["to_lift"],
    ]
    assert len(cells) == 2 + 1 + len(HAMLETS)
