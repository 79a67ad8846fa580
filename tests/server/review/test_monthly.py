"""A monthly round's decision deadline: 15 calendar days from the round's start on the 15th
(Decision 24/2021/QĐ-TTg, Art. 5), moved to the next working day when it falls on a day off
(Civil Code 2015, Art. 148(5)); a decision or certificate after it needs a written reason."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

import pytest

from server.demo.population import random_household
from tests.server.review.conftest import Api, Commune

ROUND = "/review/rounds"
MEETING = {
    "chair_name": "Lê Văn Trưởng",
    "secretary_name": "Phạm Thị Thư",
    "front_supervisor": "Hoàng Minh Giám",
    "households_represented": 24,
    "others_present": 1,
}
LATE = "Chủ tịch đi công tác tỉnh, quyết định ký ngay khi về"


def _open(api: Api, commune: Commune, year: int, month: int) -> dict[str, Any]:
    body = {"commune_id": commune.world.commune_ids[0], "procedure": "monthly"}
    answer: dict[str, Any] = api.call(
        "commune_officer", "POST", ROUND, 201, json={**body, "year": year, "month": month}
    )
    return answer


def _posted_applicant(api: Api, commune: Commune) -> tuple[int, int]:
    """Open the monthly round of April 2025 with HH-B applying (Form 01), survey it poor, vote
    and post it at Khu phố 2 and the commune office (both end on Wednesday 23 April); return
    the round's and the case's ids."""
    round_ = _open(api, commune, 2025, 4)
    rid = round_["id"]
    household_id = commune.household_id("HH-B")
    case = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/cases",
        201,
        json={"household_id": household_id, "application": "form01"},
    )
    answers = random_household(
        random.Random("monthly-HH-B"), "HH-B", date(2025, 4, 16), "urban", "poor"
    )
    api.call(
        "commune_officer",
        "POST",
        "/surveys",
        201,
        json={
            "survey_uuid": str(uuid.uuid4()),
            "household_id": household_id,
            "form_id": "rasoat.household/1",
            "form_version": 1,
            "answers": answers,
        },
    )
    assert [c["id"] for c in api.call("commune_officer", "POST", f"{ROUND}/{rid}/collect")] == [
        case["id"]
    ]
    api.call("commune_officer", "POST", f"/review/cases/{case['id']}/accept")
    hamlet_b = commune.world.hamlets["B"].id
    meeting = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/meetings",
        201,
        json={**MEETING, "hamlet_id": hamlet_b, "held_on": "2025-04-17"},
    )
    api.call(
        "commune_officer",
        "POST",
        f"/review/meetings/{meeting['id']}/votes",
        json={"votes": [{"case_id": case["id"], "agree": 20}]},
    )
    for place in ({"hamlet_id": hamlet_b}, {"place": "commune_office"}):
        posting = api.call(
            "commune_officer",
            "POST",
            f"{ROUND}/{rid}/postings",
            201,
            json={**place, "starts_on": "2025-04-21"},
        )
        assert posting["ends_on"] == "2025-04-23"
    return rid, case["id"]


@pytest.mark.parametrize(
    ("year", "month", "due"),
    [
        # Tuesday 15 April 2025 + 15 days: Wednesday 30 April, then 1 and 2 May (holidays) and
        # the weekend pass; Monday 5 May.
        (2025, 4, "2025-05-05"),
        # Friday 15 September 2023 + 15 days: Saturday 30 September; Monday 2 October.
        (2023, 9, "2023-10-02"),
        # Wednesday 15 October 2025 + 15 days: Thursday 30 October, a working day.
        (2025, 10, "2025-10-30"),
    ],
)
def test_a_monthly_round_keeps_its_decision_deadline(
    api: Api, commune: Commune, year: int, month: int, due: str
) -> None:
    round_ = _open(api, commune, year, month)
    assert round_["starts_on"] == f"{year}-{month:02d}-15"
    assert (round_["decision_due_on"], round_["ends_on"]) == (due, due)
    # Every deadline above is long past today, and the round is still open.
    assert round_["decision_overdue"] is True
    shown = api.call("province_viewer", "GET", f"{ROUND}/{round_['id']}")
    assert shown["decision_due_on"] == due


def test_an_annual_round_has_no_decision_deadline(api: Api, commune: Commune) -> None:
    round_ = api.call(
        "commune_officer",
        "POST",
        ROUND,
        201,
        json={"commune_id": commune.world.commune_ids[0], "year": 2023},
    )
    assert (round_["decision_due_on"], round_["decision_overdue"]) == (None, False)


def test_a_decision_after_the_deadline_needs_a_written_reason(api: Api, commune: Commune) -> None:
    rid, case_id = _posted_applicant(api, commune)
    late = {"decision_number": "31/QĐ-UBND", "decision_date": "2025-05-06"}
    refused = api.client.post(
        f"/api/v1{ROUND}/{rid}/recognition",
        json=late,
        headers={**api.as_("commune_chair"), "Accept-Language": "vi"},
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "decision_overdue"
    assert (body["detail"]["due_on"], body["detail"]["on"]) == ("2025-05-05", "2025-05-06")
    assert body["message"].startswith("Quá hạn ra quyết định")
    in_english = api.client.post(
        f"/api/v1{ROUND}/{rid}/recognition",
        json=late,
        headers={**api.as_("commune_chair"), "Accept-Language": "en"},
    ).json()
    assert in_english["message"].startswith("The decision and certificates were due by 2025-05-05")
    too_short = api.call(
        "commune_chair",
        "POST",
        f"{ROUND}/{rid}/recognition",
        409,
        json={**late, "late_reason": "muộn"},
    )
    assert too_short["error"] == "decision_overdue"

    recognised = api.call(
        "commune_chair", "POST", f"{ROUND}/{rid}/recognition", json={**late, "late_reason": LATE}
    )
    assert recognised["status"] == "recognised"
    assert recognised["decision_late_reason"] == LATE
    assert recognised["decision_overdue"] is False
    # The decision was taken late with its reason: the certificates follow it.
    (certified,) = api.call(
        "commune_chair", "POST", f"{ROUND}/{rid}/certificates", json={"issued_on": "2025-05-07"}
    )
    assert (certified["id"], certified["certificate_kind"]) == (case_id, "issued")


def test_a_decision_on_the_last_day_stands_but_late_certificates_need_a_reason(
    api: Api, commune: Commune
) -> None:
    rid, case_id = _posted_applicant(api, commune)
    on_time = api.call(
        "commune_chair",
        "POST",
        f"{ROUND}/{rid}/recognition",
        json={"decision_number": "30/QĐ-UBND", "decision_date": "2025-05-05"},
    )
    assert (on_time["status"], on_time["decision_late_reason"]) == ("recognised", None)
    refused = api.call(
        "commune_chair",
        "POST",
        f"{ROUND}/{rid}/certificates",
        409,
        json={"issued_on": "2025-05-06"},
    )
    assert refused["error"] == "decision_overdue"
    (certified,) = api.call(
        "commune_chair",
        "POST",
        f"{ROUND}/{rid}/certificates",
        json={"issued_on": "2025-05-06", "late_reason": "Phôi giấy chứng nhận về chậm một ngày"},
    )
    assert certified["id"] == case_id
    detail = api.call("commune_chair", "GET", f"/review/cases/{case_id}")
    certify = detail["transitions"][-1]
    assert (certify["action"], certify["detail"]["late_reason"]) == (
        "certify",
        "Phôi giấy chứng nhận về chậm một ngày",
    )
