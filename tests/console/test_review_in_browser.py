"""A commune's 2023 annual round through the console in Chromium, against ``rasoat serve
--demo``: the officer signs in and sees the 10 khu phố, opens the round, collects the
tablets' surveys, returns a case and accepts its correction, overrides one, accepts the
rest at once, posts every hamlet and the commune office; the chair recognises the lists and
issues the certificates. What tablets do (surveys, the hamlet meetings) goes through the JSON
API over HTTP, as the tablets would. Every page is kept as a screenshot and checked by axe."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from server.demo.commune import HAMLETS
from shared.review.states import LABELS, CaseState
from tests.console.browser import look, sign_in, sign_out
from tests.console.tablets import Api, survey, survey_every_case, upload_photo

MEETING = {
    "held_on": "2023-11-20",
    "secretary_name": "Phạm Thị Thư",
    "front_supervisor": "Hoàng Minh Giám",
    "households_represented": 38,
    "others_present": 2,
}


def _flash(page: Any) -> str:
    return str(page.locator(".flash").inner_text())


def test_a_round_reviewed_posted_and_certified_in_the_browser(
    browser_page: Any, console_url: str, screenshots: Path
) -> None:
    page = browser_page

    # Sign-in at /, in Vietnamese; the officer lands on the 10 khu phố with their counts.
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Rà soát hộ nghèo, hộ cận nghèo")
    look(page, screenshots, "01-sign-in")
    sign_in(page, "canbo")
    rows = page.locator("#hamlets tbody tr th")
    expect(rows).to_have_count(10)
    assert rows.all_inner_texts() == [h.name for h in HAMLETS]
    expect(page.locator("#hamlets")).to_contain_text("262")
    look(page, screenshots, "02-home")

    # The map: 2,567 households clustered over the 10 boundaries, without tiles.
    page.click("header nav >> text=Bản đồ")
    expect(page.locator(".marker-cluster").first).to_be_visible(timeout=20_000)
    expect(page.locator("path.leaflet-interactive")).to_have_count(10)
    look(page, screenshots, "02-map")
    page.click("header nav >> text=Báo cáo")
    expect(page.locator("#hamlet-table tbody tr")).to_have_count(11)
    look(page, screenshots, "02-reports")
    page.goto("/home")

    # The officer opens the 2023 annual round: the end-2022 lists, 42 households.
    page.fill("#year", "2023")
    page.click("form[action='/rounds'] button")
    expect(page.locator(".flash")).to_have_text("Đã mở đợt rà soát")
    round_id = int(page.url.rstrip("/").split("/")[-1])
    expect(page.locator("#progress-hamlets")).to_contain_text("Khu phố 1")

    # The tablets send their surveys (the enumerator of Khu phố 1 and 2, the officer for the
    # rest); the officer collects them.
    officer = Api(console_url, "canbo")
    cases = survey_every_case(officer, round_id)
    page.click("#collect")
    expect(page.locator(".flash")).to_have_text("Đã nhận 42 phiếu khảo sát")
    look(page, screenshots, "03-tracker-surveyed")

    # The queue: 42 waiting; filtered to Khu phố 1 (htmx), then to the changed class.
    page.click("text=Danh sách chờ duyệt >> nth=0")
    expect(page.locator("input[name=case_id]")).to_have_count(42)
    look(page, screenshots, "04-queue")
    kp1 = [c for c in cases if c["hamlet_name"] == "Khu phố 1"]
    page.select_option("#f-hamlet", label="Khu phố 1")
    expect(page.locator("input[name=case_id]")).to_have_count(len(kp1))
    assert "hamlet_id=" in page.url
    page.select_option("#f-hamlet", label="Tất cả")
    page.check("#f-changed")
    expect(page.locator("input[name=case_id]")).to_have_count(1)
    expect(page.locator("#cases tbody")).to_contain_text("Thoát cận nghèo")
    page.uncheck("#f-changed")
    expect(page.locator("input[name=case_id]")).to_have_count(42)

    # A case of Khu phố 1 goes back to the tablet with a comment on its income.
    returned = next(c for c in kp1 if c["listed_because"] == "near_poor")
    page.click(f"a[href='/cases/{returned['id']}']")
    expect(page.locator("#case-state")).to_have_text(LABELS[CaseState.SURVEYED]["vi"])
    look(page, screenshots, "05-case")
    page.select_option("#q0", "income")
    page.fill("#t0", "Thu nhập khai thấp hơn năm trước, đề nghị kiểm tra lại")
    page.click("#return")
    expect(page.locator(".flash")).to_have_text("Đã trả hồ sơ về máy tính bảng")
    expect(page.locator("#case-state")).to_have_text(LABELS[CaseState.RETURNED]["vi"])
    expect(page.locator(".comment")).to_contain_text("Thu nhập khai thấp")
    look(page, screenshots, "06-case-returned")

    # The enumerator corrects it on the tablet; collected, it is re-surveyed and accepted.
    enumerator = Api(console_url, "rasoatvien")
    on_tablet = enumerator.call("GET", "/review/cases", params={"state": "returned"})
    assert [c["id"] for c in on_tablet] == [returned["id"]]
    house = upload_photo(enumerator, returned["household_id"], (150, 110, 70))
    enumerator.call(
        "POST",
        "/surveys",
        json=survey(
            returned["household_id"],
            returned["household_code"],
            "near_poor",
            1,
            [{"sha256": house, "question": "housing"}],
        ),
    )
    page.goto(f"/rounds/{round_id}")
    page.click("#collect")
    expect(page.locator(".flash")).to_have_text("Đã nhận 1 phiếu khảo sát")
    page.goto(f"/cases/{returned['id']}")
    expect(page.locator("#case-state")).to_have_text(LABELS[CaseState.RESURVEYED]["vi"])
    page.click("#accept")
    expect(page.locator(".flash")).to_have_text("Đã duyệt hồ sơ")
    expect(page.locator("#case-state")).to_have_text(LABELS[CaseState.ACCEPTED]["vi"])
    expect(page.locator("#history tbody tr")).to_have_count(6)
    photo = page.locator(f"img[src='/photos/{house}/thumbnail']")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") > 0

    # The round's photos, filtered by question.
    page.click("header nav >> text=Ảnh")
    page.select_option("#p-question", label="Nhà ở")
    expect(page.locator("#gallery figure")).to_have_count(1)
    expect(page.locator("#gallery")).to_contain_text(returned["household_code"])
    look(page, screenshots, "06-photos")

    # A case is overridden with a reason.
    other = next(c for c in cases if c["listed_because"] == "poor")
    page.goto(f"/cases/{other['id']}")
    page.select_option("#override-class", "near_poor")
    page.fill("#override-reason", "Chủ hộ đã có việc làm ổn định từ tháng 9")
    page.click("#override")
    expect(page.locator(".flash")).to_have_text("Đã điều chỉnh loại hộ")
    expect(page.locator("#final-class")).to_contain_text("Hộ cận nghèo *")

    # Bulk accept: every remaining case of the queue at once.
    page.goto(f"/rounds/{round_id}/queue")
    expect(page.locator("input[name=case_id]")).to_have_count(41)
    page.check("#select-all")
    page.click("#accept-selected")
    expect(page.locator(".flash")).to_have_text("Đã duyệt 41 hộ")
    expect(page.locator("input[name=case_id]")).to_have_count(0)

    # The hamlet meetings vote on the tablets (every case passes).
    for case_hamlet in sorted({c["hamlet_id"] for c in cases}):
        meeting = officer.call(
            "POST",
            f"/review/rounds/{round_id}/meetings",
            json={**MEETING, "hamlet_id": case_hamlet, "chair_name": "Trưởng khu phố"},
        )
        votes = [{"case_id": c["id"], "agree": 31} for c in cases if c["hamlet_id"] == case_hamlet]
        officer.call("POST", f"/review/meetings/{meeting['id']}/votes", json={"votes": votes})

    # Posting at every hamlet's cultural house from 30 November, then at the commune office.
    page.goto(f"/rounds/{round_id}")
    for hamlet in HAMLETS:
        page.select_option("#post-place", label=hamlet.name)
        page.fill("#post-start", "2023-11-30")
        page.click("#post")
        expect(page.locator(".flash")).to_contain_text("đến hết ngày 04/12/2023")
    page.select_option("#post-place", "commune_office")
    page.fill("#post-start", "2023-12-01")
    page.click("#post")
    expect(page.locator(".flash")).to_have_text("Đã niêm yết 42 hộ đến hết ngày 05/12/2023")
    expect(page.locator("#postings tbody tr")).to_have_count(11)
    look(page, screenshots, "07-tracker-posted")
    sign_out(page)

    # The chair recognises the lists and issues the certificates.
    sign_in(page, "chutich")
    page.goto(f"/rounds/{round_id}")
    page.fill("#decision-number", "215/QĐ-UBND")
    page.fill("#decision-date", "2023-12-06")
    page.click("#decide")
    expect(page.locator(".flash")).to_have_text("Đã công nhận danh sách")
    expect(page.locator("#decision")).to_contain_text("215/QĐ-UBND · 06/12/2023")
    page.fill("#issued-on", "2023-12-07")
    page.click("#certify")
    expect(page.locator(".flash")).to_have_text(re.compile(r"Đã cấp \d+ giấy chứng nhận"))
    look(page, screenshots, "08-tracker-certified")
    with page.expect_download() as download:
        page.click("text=Giấy chứng nhận (PDF)")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # English on request.
    page.click("button[name=to][value=en]")
    expect(page.locator("h2").first).to_have_text("Survey and review per hamlet")
    look(page, screenshots, "09-tracker-english")


def test_an_administrator_disables_an_account(
    browser_page: Any, console_url: str, screenshots: Path
) -> None:
    page = browser_page
    sign_in(page, "admin")
    page.click("header nav >> text=Người dùng")
    row = page.locator("#user-phutrach")
    expect(row).to_contain_text("đang dùng")
    look(page, screenshots, "10-people")
    row.locator("button", has_text="Khoá").click()
    expect(page.locator(".flash")).to_have_text("Đã khoá tài khoản")
    expect(page.locator("#user-phutrach")).to_contain_text("đã khoá")
    refused = httpx.post(
        f"{console_url}/api/v1/auth/login",
        json={"username": "phutrach", "password": "rasoat-demo", "device_id": "t-phutrach"},
    )
    assert refused.json()["error"] == "account_disabled"
