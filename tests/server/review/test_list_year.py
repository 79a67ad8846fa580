"""The standard of a round: the review run from September makes the next year's list and
classifies its surveys under that year's standard, stated on its papers."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from server.documents import content, render
from shared.standards import load_catalog
from tests.server.review.conftest import Api, Commune, read_paper, survey

ROUND = "/review/rounds"
LATE_2026 = date(2026, 10, 15)


def _survey_on(commune: Commune, code: str, day: date) -> dict[str, Any]:
    body = survey(commune, code, "poor")
    body["survey_uuid"] = str(uuid.uuid4())
    body["answers"]["reference_date"] = day.isoformat()
    return body


def test_the_late_2026_review_makes_the_2027_list_under_vn_2027_2030(
    api: Api, commune: Commune
) -> None:
    commune_id = commune.world.commune_ids[0]
    round_ = api.call(
        "commune_officer", "POST", ROUND, 201, json={"commune_id": commune_id, "year": 2026}
    )
    assert (round_["year"], round_["list_year"]) == (2026, 2027)
    assert round_["standard"] == "vn-2027-2030"
    assert round_["standard_provisional"] is True
    assert round_["standard_statement"].startswith("Danh sách năm 2027 theo chuẩn nghèo")
    assert "tạm tính" in round_["standard_statement"]

    # HH-A is on the round's list: its late-2026 survey is classified for the 2027 list.
    listed = api.call(
        "enumerator", "POST", "/surveys", 201, json=_survey_on(commune, "HH-A", LATE_2026)
    )
    assert listed["result"]["standard"] == "vn-2027-2030"
    assert listed["result"]["provisional"] is True
    assert listed["result"]["income_line_vnd"] == 2_800_000  # the urban line of 2027

    # HH-B is in no round: its survey keeps the standard in force on its reference date.
    unlisted = api.call(
        "enumerator_b", "POST", "/surveys", 201, json=_survey_on(commune, "HH-B", LATE_2026)
    )
    assert unlisted["result"]["standard"] == "vn-2022-2025"
    assert "provisional" not in unlisted["result"]


def test_a_monthly_round_amends_the_list_of_its_own_year(api: Api, commune: Commune) -> None:
    commune_id = commune.world.commune_ids[0]
    round_ = api.call(
        "commune_officer",
        "POST",
        ROUND,
        201,
        json={"commune_id": commune_id, "year": 2026, "procedure": "monthly", "month": 10},
    )
    assert (round_["list_year"], round_["standard"]) == (2026, "vn-2022-2025")
    assert round_["standard_provisional"] is False
    assert "tạm tính" not in round_["standard_statement"]


def test_the_list_year_can_be_named_but_only_this_year_or_the_next(
    api: Api, commune: Commune
) -> None:
    commune_id = commune.world.commune_ids[0]
    named = api.call(
        "commune_officer",
        "POST",
        ROUND,
        201,
        json={"commune_id": commune_id, "year": 2026, "list_year": 2026},
    )
    assert named["standard"] == "vn-2022-2025"
    refused = api.call(
        "commune_officer",
        "POST",
        ROUND,
        422,
        json={"commune_id": commune_id, "year": 2026, "list_year": 2029},
    )
    assert refused["error"] == "list_year"


def test_papers_state_the_list_year_and_the_provisional_standard(tmp_path: Path) -> None:
    standard = load_catalog().for_list_year(2027)
    place = content.Place("Tỉnh Thử", "Xã Thử", "Thôn Một")
    line = content.Line("T1-001", "Lò Văn Páo", "Thôn Một", "Thôn Một", "poor", "")
    posting = render.posting_list(
        content.PostingList(
            place=place,
            year=2026,
            procedure="annual",
            starts_on=date(2026, 11, 2),
            ends_on=date(2026, 11, 4),
            lines=[line],
            standard=standard.statement(2027),
        )
    )
    text, _ = read_paper(posting, "posting-2027", tmp_path)
    flat = " ".join(text.split())
    assert "Danh sách năm 2027 theo chuẩn nghèo đa chiều giai đoạn 2027–2030" in flat
    assert "tạm tính" in flat

    decision = render.decision(
        content.Decision(
            place=place,
            year=2026,
            number="12/QĐ-UBND",
            decided_on=date(2026, 12, 20),
            procedure="annual",
            sections=[content.Section("Danh sách hộ nghèo", [line])],
            standard=standard.statement(2027),
            citation=(standard.citation or {})["vi"],
        )
    )
    text, _ = read_paper(decision, "decision-2027", tmp_path)
    flat = " ".join(text.split())
    assert "Căn cứ Nghị định số 351/2025/NĐ-CP" in flat
    assert "07/2021/NĐ-CP" not in flat
