"""A commune officer merges two hamlets of the demo commune in the browser (issue 20): the
page, the confirm step (households, users, boundary), the merge, a refusal in Vietnamese, and
the reports of the year before (both hamlets) and of the merge's year (the merged one with a
note). A hamlet head has no such page. Its own demo server: the merge changes the commune
the other browser tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_fixtures import serve_demo
from tests.console.browser import look, sign_in, sign_out

MERGED = "Khu phố 1-2"


@pytest.fixture(scope="module")
def merge_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_demo(tmp_path_factory)


@pytest.fixture
def page(chromium: Any, merge_console: str) -> Iterator[Any]:
    context = chromium.new_context(base_url=merge_console, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_a_commune_officer_merges_two_hamlets_in_the_browser(page: Any, screenshots: Path) -> None:
    sign_in(page, "truongkp1")
    assert page.locator("a[href='/hamlets/merge']").count() == 0
    assert page.goto("/hamlets/merge").status == 403
    page.goto("/home")
    sign_out(page)

    sign_in(page, "canbo")
    page.click("a[href='/hamlets/merge']")
    page.wait_for_url("**/hamlets/merge")
    assert page.locator("h1").inner_text() == "Sắp xếp thôn, tổ dân phố"
    look(page, screenshots, "hamlets-01-page")

    form = page.locator("#merge-form")
    form.locator("label.choice", has_text="(KP1,").locator("input").check()
    form.locator("label.choice", has_text="(KP2,").locator("input").check()
    form.locator("#merge-name").fill(MERGED)
    form.locator("#merge-date").fill("01/01/2026")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/hamlets/merge/preview")
    assert page.locator("h1").inner_text() == f"Gộp thành {MERGED}"
    households = page.locator("#merge-households").inner_text()
    assert "262" in households
    assert "232" in households
    assert "494" in households
    assert "rasoatvien" in page.locator("#merge-users").inner_text()
    assert "truongkp1" in page.locator("#merge-users").inner_text()
    assert page.locator("#merge-boundary").inner_text()
    assert page.locator("svg.sketch path").count() == 3
    look(page, screenshots, "hamlets-02-confirm")

    page.locator("#confirm-form button[type=submit]").click()
    page.wait_for_url("**/hamlets/merge")
    assert page.locator(".flash.ok").inner_text() == f"Đã gộp thành {MERGED}"
    changes = page.locator("#hamlet-changes").inner_text()
    assert "Khu phố 1, Khu phố 2" in changes
    assert MERGED in changes
    assert page.locator("label.choice", has_text="(KP1,").count() == 0
    look(page, screenshots, "hamlets-03-merged")

    # A name in use is refused, in Vietnamese, and nothing changes.
    form = page.locator("#merge-form")
    form.locator("label.choice", has_text="(KP3,").locator("input").check()
    form.locator("label.choice", has_text="(KPTN,").locator("input").check()
    form.locator("#merge-name").fill(MERGED.upper())
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/hamlets/merge")
    refusal = page.locator(".flash.error").inner_text()
    assert f"đã có thôn, tổ dân phố tên {MERGED.upper()}; hãy chọn tên khác" in refusal
    look(page, screenshots, "hamlets-04-refused")

    page.goto("/reports?year=2025")
    rows = page.locator("#hamlet-table tbody th").all_inner_texts()
    assert {"Khu phố 1", "Khu phố 2"} <= set(rows)
    assert not any(MERGED in row for row in rows)
    page.goto("/reports?year=2026")
    rows = page.locator("#hamlet-table tbody th").all_inner_texts()
    assert f"{MERGED}\nGộp từ Khu phố 1, Khu phố 2 từ ngày 01/01/2026" in rows
    assert "Khu phố 1" not in rows
    look(page, screenshots, "hamlets-05-report-2026")
