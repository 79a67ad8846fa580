"""The self-check in Chromium at a phone's size (360 × 740), against ``rasoat serve --demo``:
a household answers for two people, sees that it may be poor and why, is asked to agree before
sending, and is told to take its paper to the commune when no review is open. Every page is
kept as a screenshot and checked by axe; no JavaScript of ours runs on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.console.browser import look

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(chromium: Any, console_url: str) -> Iterator[Any]:
    """A fresh phone-sized browser context on the demo server, JavaScript off: the page must
    work without it."""
    context = chromium.new_context(
        base_url=console_url, viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_a_household_checks_itself_on_a_phone(
    phone: Any, chromium: Any, console_url: str, screenshots: Path
) -> None:
    page = phone
    page.goto("/tu-danh-gia")
    expect(page.locator("h1")).to_contain_text("Tự kiểm tra tại đây")

    page.check("#area-rural")
    page.fill("#m0_name", "Lò Văn Páo")
    page.fill("#m0_birth", "12/03/1985")
    page.check("#m0_sex-male")
    page.select_option("#m0_relation", "head")
    page.select_option("#m0_employment", "wage_without_contract")
    page.check("#m0_pension-no")
    page.select_option("#m0_disability", "none")
    page.check("#m0_health_insurance-no")
    page.select_option("#m0_education", "lower_secondary")
    page.check("#m0_in_school-no")
    page.check("#m0_uses_internet-yes")
    page.click("text=+ Thêm một người")

    expect(page.locator("#person-2")).to_be_visible()
    assert page.input_value("#m0_name") == "Lò Văn Páo"
    page.fill("#m1_name", "Lò Thị Ênh")
    page.fill("#m1_birth", "1988")
    page.check("#m1_sex-female")
    page.select_option("#m1_relation", "spouse")
    page.select_option("#m1_employment", "self_employed")
    page.check("#m1_pension-no")
    page.select_option("#m1_disability", "none")
    page.check("#m1_health_insurance-yes")
    page.select_option("#m1_education", "upper_secondary")
    page.check("#m1_in_school-no")
    page.check("#m1_uses_internet-no")
    page.fill("#income_year", "19.200.000")
    page.select_option("#walls", "brick")
    page.select_option("#frame", "hardwood")
    page.select_option("#roof", "metal_sheet")
    page.fill("#floor_area_m2", "30")
    page.select_option("#water_source", "surface_water")
    page.select_option("#latrine", "hanging")
    page.select_option("#waste_disposal", "burned")
    look_without_script(chromium, console_url, page, screenshots, "selfcheck-01-questions")

    page.click("button.primary")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("có thể là HỘ NGHÈO")
    expect(verdict).to_contain_text("800.000 đồng")
    reasons = page.locator("#reasons li")
    expect(reasons).to_have_count(5)
    expect(page.locator("#reasons")).to_contain_text("Bảo hiểm y tế")
    look_without_script(chromium, console_url, page, screenshots, "selfcheck-02-result")

    # Sending without ticking the box stores nothing and says why.
    page.select_option("#hamlet_id", index=1)
    page.fill("#phone", "0912 345 678")
    page.click("text=Gửi đơn cho xã")
    expect(page.locator("#consent-problem")).to_have_text("Hãy đánh dấu vào ô đồng ý trước khi gửi")
    look_without_script(chromium, console_url, page, screenshots, "selfcheck-03-consent")

    # The demo commune runs no review today: the household is told to take its paper there.
    page.check("#consent")
    page.click("text=Gửi đơn cho xã")
    expect(page.locator(".note")).to_contain_text("chưa mở đợt rà soát nhận giấy đề nghị")
    look_without_script(chromium, console_url, page, screenshots, "selfcheck-04-no-review")
    # Its answers come back with it, to print the paper instead.
    page.click("text=Quay lại kết quả của tôi")
    expect(page.locator("#verdict")).to_contain_text("có thể là HỘ NGHÈO")
    expect(page.locator("#phone")).to_have_value("0912 345 678")


def look_without_script(
    chromium: Any, console_url: str, page: Any, screenshots: Path, name: str
) -> None:
    """Keep a screenshot of ``page`` and run axe on the same HTML in a context where scripts
    run (axe is JavaScript; the page itself is checked without)."""
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    context = chromium.new_context(base_url=console_url, viewport=PHONE)
    try:
        checked = context.new_page()
        checked.set_content(page.content())
        look(checked, screenshots, f"{name}-axe")
        # Nothing wider than the phone: no sideways scrolling.
        assert checked.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
