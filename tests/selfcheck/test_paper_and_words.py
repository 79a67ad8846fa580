"""Form 01 filled in from the answers; the standard an application made today is judged by;
every message of the page in Vietnamese; a wrong answer told in plain words, not stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.clock import today
from server.selfcheck import rendering
from server.selfcheck.service import list_year_of_application, standard_for_application
from tests.selfcheck.pages import on_day
from tests.selfcheck.test_send import POOR, TODAY
from tests.server.conftest import World
from tests.server.review.conftest import poppler, read_paper

__all__ = ["poppler"]


def test_form_01_is_filled_in_with_the_answers(
    app: FastAPI, client: TestClient, world: World, tmp_path: Path, poppler: None
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    form = {**POOR, "hamlet_id": str(world.hamlets["C"].id), "phone": "0987654321"}

    pdf = client.post("/tu-danh-gia/giay-de-nghi", data=form)

    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text, pages = read_paper(pdf.content, "mau-01", tmp_path, pages=1)
    for expected in (
        "GIẤY ĐỀ NGHỊ",
        "Mẫu số 01",
        "hộ nghèo, hộ cận nghèo năm 2027",
        "Kính gửi: Ủy ban nhân dân Xã Hai",
        "Lò Văn Páo",
        "12/03/1985",
        "Lò Thị Ênh",
        "05/09/2015",
        "Thôn Một",
        "0987654321",
        "02/12/2026",
    ):
        assert expected in text, expected
    assert len(pages) == 1


def test_an_application_is_judged_by_the_list_it_enters() -> None:
    # Inside the annual review (1 September - 14 December) the commune makes next year's list.
    assert list_year_of_application(date(2026, 9, 1)) == 2027
    assert list_year_of_application(date(2026, 12, 14)) == 2027
    assert standard_for_application(date(2026, 12, 2))[0].id == "vn-2027-2030"
    # After it, a monthly review amends this year's list, under this year's standard.
    assert list_year_of_application(date(2026, 12, 15)) == 2026
    assert standard_for_application(date(2026, 12, 15))[0].id == "vn-2022-2025"
    assert standard_for_application(date(2027, 3, 1))[0].id == "vn-2027-2030"


def test_every_message_has_a_vietnamese_translation() -> None:
    with rendering.catalog_path("vi").open("rb") as po:
        catalog = read_po(po, locale="vi")
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert sorted(rendering.source_messages() - translated) == []


def test_a_wrong_answer_is_shown_against_its_question(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    form = {**POOR, "m0_birth": "31/02/1985", "income_month": "chín trăm"}

    page = client.post("/tu-danh-gia", data=form)

    assert page.status_code == 422
    assert 'id="m0_birth-problem">Không có ngày này' in page.text
    assert 'id="income_month-problem">Ghi một số tiền' in page.text
    # The answers are kept in the form, so nothing has to be typed again.
    assert 'value="Lò Văn Páo"' in page.text


def test_the_page_speaks_english_when_asked(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    assert "Tự kiểm tra tại đây" in client.get("/tu-danh-gia").text
    english = client.get("/tu-danh-gia", params={"lang": "en"})
    assert "Is your household poor or near-poor? Check it yourself" in english.text
    # The choice is remembered for the pages that follow.
    assert "See the result" in client.post("/tu-danh-gia", data={"action": "add"}).text
