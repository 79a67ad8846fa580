"""Background jobs in the console, in Chromium against ``rasoat serve --demo`` (whose worker
thread runs them): the officer prepares the annual report and watches its progress redraw
itself (htmx) until the download appears, then downloads the PDF; with JavaScript off the
page reloads itself until then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.console.browser import keep, look, sign_in

PREPARE = "form[action='/reports/bundles/{kind}/jobs'] button[value='{format}']"


def test_a_report_prepared_in_the_background_with_its_progress(
    browser_page: Any, screenshots: Path, tmp_path: Path
) -> None:
    page = browser_page
    sign_in(page, "canbo")
    page.goto("/reports?year=2022")
    page.click(PREPARE.format(kind="annual", format="pdf"))
    page.wait_for_url("**/reports?year=2022*")
    expect(page.locator(".flash")).to_contain_text("Đang chuẩn bị báo cáo")
    panel = page.locator("#jobs")
    expect(panel.locator("progress")).to_have_count(1)
    address = page.url
    # htmx swaps the panel in place: the link appears without the page being loaded again.
    download_link = panel.get_by_role("link", name="Tải về")
    expect(download_link).to_be_visible(timeout=120_000)
    assert page.url == address
    expect(panel).to_contain_text("Xong")
    expect(panel).to_contain_text("Báo cáo năm 2022 (PDF)")
    look(page, screenshots, "jobs-report-done")
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / "bao-cao.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_without_javascript_the_page_reloads_until_the_file_is_ready(
    chromium: Any, console_url: str, screenshots: Path
) -> None:
    context = chromium.new_context(base_url=console_url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "canbo")
        page.goto("/reports?year=2022")
        page.click(PREPARE.format(kind="six_monthly", format="xlsx"))
        page.wait_for_url("**/reports?year=2022*")
        expect(page.locator("#jobs")).to_contain_text("Báo cáo 6 tháng 2022 (XLSX)")
        row = page.locator("#jobs tr", has_text="Báo cáo 6 tháng 2022 (XLSX)").first
        expect(row.get_by_role("link", name="Tải về")).to_be_visible(timeout=120_000)
        keep(page, screenshots, "jobs-report-done-without-js")
    finally:
        context.close()
