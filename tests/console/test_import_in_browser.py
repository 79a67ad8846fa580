"""The household import's upload page in Chromium, against ``rasoat serve --demo``: the
commune officer uploads the template filled with 30 households, one row wrong; the preview
names the row, the column and the reason and offers no import; after the correction the
preview shows 30 households to create, the officer imports them by choosing the same file
again, and the same file once more changes nothing. Every page is kept as a screenshot and
checked by axe."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from server.demo.commune import HAMLETS
from server.imports.sample import household_list
from tests.browser_fixtures import serve_demo
from tests.console.browser import look, sign_in
from tests.server.imports.sheets import filled_template

HOUSEHOLDS = 30


@pytest.fixture(scope="module")
def import_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo server of its own: the import adds households that the other browser tests,
    which count the shared demo's households, must not see."""
    yield from serve_demo(tmp_path_factory)


@pytest.fixture
def browser_page(chromium: Any, import_console: str) -> Iterator[Any]:
    context = chromium.new_context(base_url=import_console, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_an_officer_previews_corrects_and_imports_a_household_list(
    browser_page: Any, screenshots: Path, tmp_path: Path
) -> None:
    page = browser_page
    rows = household_list(
        random.Random(20), HOUSEHOLDS, [h.name for h in HAMLETS[:3]], 2025, first=90_001
    )
    wrong = [list(row) for row in rows]
    # The third row's birth date is not a date.
    wrong[2][5] = "31/02/1980"
    bad_file = tmp_path / "danh-sach-sai.xlsx"
    bad_file.write_bytes(filled_template(wrong))
    good_file = tmp_path / "danh-sach.xlsx"
    good_file.write_bytes(filled_template(rows))

    sign_in(page, "canbo")
    page.click("header nav >> text=Nhập danh sách hộ")
    expect(page.locator("h1")).to_have_text("Nhập danh sách hộ")
    look(page, screenshots, "import-01-form")

    # A file with a wrong row: the preview names it and offers no import.
    page.fill("#i-year", "2025")
    page.set_input_files("#i-file", str(bad_file))
    page.click("#upload button[type=submit]")
    expect(page.locator("#preview-title")).to_contain_text("danh-sach-sai.xlsx")
    refusals = page.locator("#refusals tbody tr")
    expect(refusals).to_have_count(1)
    cells = refusals.first.locator("td").all_inner_texts()
    assert cells[0] == "4"
    assert cells[1].startswith("Ngày sinh")
    assert "31/02/1980" in cells[2]
    expect(page.locator("#count-refused td")).to_have_text("1")
    expect(page.locator("#commit")).to_have_count(0)
    look(page, screenshots, "import-02-refused")

    # The corrected file: 30 to create; imported by choosing the same file again.
    page.set_input_files("#i-file", str(good_file))
    page.click("#upload button[type=submit]")
    expect(page.locator("#count-create td")).to_have_text(str(HOUSEHOLDS))
    expect(page.locator("#refusals")).to_have_count(0)
    expect(page.locator("#households tbody tr")).to_have_count(HOUSEHOLDS)
    expect(page.locator("#households tbody tr").first).to_contain_text("Hộ thêm mới")
    look(page, screenshots, "import-03-preview")
    page.set_input_files("#c-file", str(good_file))
    page.click("#commit button[type=submit]")
    expect(page.locator(".flash")).to_have_text(
        f"Đã nhập: {HOUSEHOLDS} hộ thêm mới, 0 hộ cập nhật, 0 hộ không đổi"
    )
    look(page, screenshots, "import-04-imported")

    # The same file again changes nothing.
    page.fill("#i-year", "2025")
    page.set_input_files("#i-file", str(good_file))
    page.click("#upload button[type=submit]")
    expect(page.locator("#count-unchanged td")).to_have_text(str(HOUSEHOLDS))
    expect(page.locator("#count-create td")).to_have_text("0")
    look(page, screenshots, "import-05-unchanged")
