"""The application-based procedures through the API (Decree 07/2021/NĐ-CP, Art. 3(4); Decree
30/2025/NĐ-CP): applicants listed with Form 01, the 12-month income without social allowances
tested against the thresholds of the standard in force, five working days of posting at the
hamlet and the commune office, a complaint and its re-check, and the decision.

Thresholds of the 2022–2025 standard (VND per person per month): poverty line 1,500,000 rural
and 2,000,000 urban; average ceiling 2,250,000 rural and 3,000,000 urban.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.demo.population import Target
from server.households.models import Household, HouseholdYear
from tests.server.conftest import PASSWORD
from tests.server.review.conftest import Api, Commune, household_of_2022, read_paper

ROUND = "/review/rounds"


def _apply(
    api: Api, officer: str, rid: int, household: Household, income: dict[str, Any]
) -> dict[str, Any]:
    """List the household (Form 01) and record its income; return the case."""
    case = api.call(
        officer,
        "POST",
        f"{ROUND}/{rid}/cases",
        201,
        json={"household_id": household.id, "application": "form01"},
    )
    assert (case["listed_because"], case["state"]) == ("applicant", "listed")
    answer: dict[str, Any] = api.call(
        officer, "POST", f"/review/cases/{case['id']}/income", json=income
    )
    return answer


def _standing(session: Session, households: list[Household], year: int) -> dict[str, str]:
    ids = {h.id: h.code for h in households}
    rows = session.scalars(
        select(HouseholdYear).where(HouseholdYear.household_id.in_(ids), HouseholdYear.year == year)
    )
    return {ids[row.household_id]: row.household_class for row in rows}


def test_average_living_households_around_national_day(
    api: Api, commune: Commune, session: Session, security: Security, tmp_path: Path, poppler: None
) -> None:
    world = commune.world
    thon_mot = world.hamlets["C"]  # rural, in commune 2
    rng = random.Random(30)
    applicants = {
        code: household_of_2022(session, rng, thon_mot, code, "not_poor")
        for code in ("TB-1", "TB-2", "TB-3")
    }
    create_user(
        session,
        security,
        SYSTEM,
        "chair_c2",
        "Chủ tịch xã Hai",
        PASSWORD,
        Role.COMMUNE_CHAIR,
        Scope(ScopeKind.COMMUNE, commune_id=world.commune_ids[1]),
    )
    session.commit()

    round_ = api.call(
        "officer_c2",
        "POST",
        ROUND,
        201,
        json={
            "commune_id": world.commune_ids[1],
            "procedure": "average_living",
            "year": 2025,
            "month": 8,
        },
    )
    assert (round_["starts_on"], round_["meeting"]) == ("2025-08-15", False)
    assert (round_["posting_working_days"], round_["recheck_working_days"]) == (5, 3)
    assert round_["decision_due_on"] is None
    rid = round_["id"]

    # 86.4 M over 12 months for 4 people: 1,800,000 a month, inside (1,500,000; 2,250,000].
    one = _apply(
        api,
        "officer_c2",
        rid,
        applicants["TB-1"],
        {"income_12_months_vnd": 86_400_000, "members": 4},
    )
    # 120 M for 4: 2,500,000, above the ceiling.
    two = _apply(
        api,
        "officer_c2",
        rid,
        applicants["TB-2"],
        {"income_12_months_vnd": 120_000_000, "members": 4},
    )
    # 110.4 M of which 9.6 M social allowances: 2,300,000 with them, 2,100,000 without.
    three = _apply(
        api,
        "officer_c2",
        rid,
        applicants["TB-3"],
        {"income_12_months_vnd": 110_400_000, "allowances_vnd": 9_600_000, "members": 4},
    )
    tests = {
        c["household_code"]: (
            c["income"]["income_per_capita_vnd"],
            c["income"]["eligible"],
            c["engine_class"],
        )
        for c in (one, two, three)
    }
    assert tests == {
        "TB-1": (1_800_000, True, "average"),
        "TB-2": (2_500_000, False, None),
        "TB-3": (2_100_000, True, "average"),
    }
    assert (one["income"]["line_vnd"], one["income"]["ceiling_vnd"]) == (1_500_000, 2_250_000)
    assert one["state"] == "surveyed"

    # The household that fails the test cannot be accepted; it is withdrawn with the reason.
    refused = api.call("officer_c2", "POST", f"/review/cases/{two['id']}/accept", 422)
    assert refused["error"] == "not_average_living"
    api.call(
        "officer_c2",
        "POST",
        f"/review/cases/{two['id']}/withdraw",
        json={"reason": "Thu nhập bình quân 2.500.000 đồng/người/tháng, trên mức trung bình"},
    )
    for case in (one, three):
        api.call("officer_c2", "POST", f"/review/cases/{case['id']}/accept")

    # Five working days from Friday 29 August 2025: the weekend and National Day (1 and 2
    # September) do not count, so the posting runs to Monday 8 September.
    for place in ({"hamlet_id": thon_mot.id}, {"place": "commune_office"}):
        posting = api.call(
            "officer_c2",
            "POST",
            f"{ROUND}/{rid}/postings",
            201,
            json={**place, "starts_on": "2025-08-29"},
        )
        assert posting["ends_on"] == "2025-09-08"
        assert sorted(posting["case_ids"]) == sorted([one["id"], three["id"]])

    complaint = api.call(
        "officer_c2",
        "POST",
        f"/review/cases/{one['id']}/complaints",
        201,
        json={
            "raised_on": "2025-09-03",
            "complainant": "Đinh Văn Khiếu",
            "reason": "Hộ có thu nhập cho thuê đất ruộng chưa kê khai",
        },
    )
    # Three working days after Wednesday 3 September: 4, 5 and 8 September.
    assert complaint["recheck_due_on"] == "2025-09-08"
    outside = api.call(
        "officer_c2",
        "POST",
        f"/review/cases/{three['id']}/complaints",
        422,
        json={"raised_on": "2025-09-09", "complainant": "Đinh Văn Khiếu", "reason": "x" * 20},
    )
    assert outside["error"] == "complaint_outside_posting"
    rechecked = api.call(
        "officer_c2",
        "POST",
        f"/review/complaints/{complaint['id']}/recheck",
        json={
            "outcome_class": "not_poor",
            "note": "Thêm 36 triệu đồng tiền cho thuê đất: 2.550.000 đồng/người/tháng",
            "rechecked_on": "2025-09-05",
        },
    )
    assert (rechecked["before_class"], rechecked["outcome_class"]) == ("average", "not_poor")

    on_last_day = {"decision_number": "88/QĐ-UBND", "decision_date": "2025-09-08"}
    early = api.call("chair_c2", "POST", f"{ROUND}/{rid}/recognition", 409, json=on_last_day)
    assert (early["error"], early["detail"]["ends_on"]) == ("posting_not_ended", "2025-09-08")
    recognised = api.call(
        "chair_c2",
        "POST",
        f"{ROUND}/{rid}/recognition",
        json={"decision_number": "88/QĐ-UBND", "decision_date": "2025-09-09"},
    )
    assert recognised["states"] == {"recognised": 2, "withdrawn": 1}

    # Only TB-3 is an average-living household; TB-1's re-check outcome stands for the year.
    assert _standing(session, list(applicants.values()), 2025) == {
        "TB-1": "not_poor",
        "TB-3": "average",
    }
    decision, _ = read_paper(
        api.call("chair_c2", "GET", f"{ROUND}/{rid}/documents/decision"), "tb-quyet-dinh", tmp_path
    )
    assert "1. Danh sách hộ có mức sống trung bình: 1 hộ." in decision
    assert "TB-3" in decision
    assert "TB-1" not in decision
    assert "TB-2" not in decision
    office, _ = read_paper(
        api.call("chair_c2", "GET", f"{ROUND}/{rid}/documents/posting"), "tb-niem-yet-xa", tmp_path
    )
    assert "trụ sở UBND Xã Hai" in office
    assert "KẾT QUẢ PHÚC TRA" in office


def test_low_income_workers_around_reunification_day(
    api: Api, commune: Commune, session: Session, tmp_path: Path, poppler: None
) -> None:
    world = commune.world
    khu_pho_1 = world.hamlets["A"]  # urban, in commune 1
    rng = random.Random(25)
    targets: dict[str, Target] = {
        "LD-1": "not_poor",
        "LD-2": "near_poor",
        "LD-3": "not_poor",
        "LD-4": "not_poor",
    }
    workers = {
        code: household_of_2022(session, rng, khu_pho_1, code, target)
        for code, target in targets.items()
    }
    session.commit()
    round_ = api.call(
        "commune_officer",
        "POST",
        ROUND,
        201,
        json={
            "commune_id": world.commune_ids[0],
            "procedure": "low_income_worker",
            "year": 2025,
            "month": 4,
        },
    )
    assert round_["starts_on"] == "2025-04-15"
    rid = round_["id"]
    member = {"applying_members": ["2"]}
    cases = {
        # 129.6 M for 4: 2,700,000, at most the urban 3,000,000; the household is not poor.
        "LD-1": _apply(
            api,
            "commune_officer",
            rid,
            workers["LD-1"],
            {"income_12_months_vnd": 129_600_000, "members": 4, **member},
        ),
        # 2,400,000, but the household is on the near-poor list.
        "LD-2": _apply(
            api,
            "commune_officer",
            rid,
            workers["LD-2"],
            {"income_12_months_vnd": 115_200_000, "members": 4, **member},
        ),
        # 158.4 M with 4.8 M allowances: 3,200,000 without them, above the ceiling.
        "LD-3": _apply(
            api,
            "commune_officer",
            rid,
            workers["LD-3"],
            {
                "income_12_months_vnd": 158_400_000,
                "allowances_vnd": 4_800_000,
                "members": 4,
                **member,
            },
        ),
        # 2,000,000 in a household not poor: eligible, until the re-check below.
        "LD-4": _apply(
            api,
            "commune_officer",
            rid,
            workers["LD-4"],
            {"income_12_months_vnd": 96_000_000, "members": 4, **member},
        ),
    }
    assert {
        code: (c["income"]["income_per_capita_vnd"], c["income"]["eligible"])
        for code, c in cases.items()
    } == {
        "LD-1": (2_700_000, True),
        "LD-2": (2_400_000, False),
        "LD-3": (3_200_000, False),
        "LD-4": (2_000_000, True),
    }
    assert cases["LD-1"]["income"]["ceiling_vnd"] == 3_000_000
    assert cases["LD-2"]["income"]["household_class"] == "near_poor"
    for code in ("LD-2", "LD-3"):
        case_id = cases[code]["id"]
        refused = api.call("commune_officer", "POST", f"/review/cases/{case_id}/accept", 422)
        assert refused["error"] == "income_test_not_met"
        api.call(
            "commune_officer",
            "POST",
            f"/review/cases/{case_id}/withdraw",
            json={"reason": "Không đáp ứng điều kiện của Nghị định 30/2025/NĐ-CP"},
        )
    for code in ("LD-1", "LD-4"):
        api.call("commune_officer", "POST", f"/review/cases/{cases[code]['id']}/accept")

    # Five working days from Friday 25 April 2025: Saturday 26 April is worked (it swaps the
    # day off on 2 May), then 28 and 29 April; 30 April to 4 May are days off; Monday 5 May.
    for place in ({"hamlet_id": khu_pho_1.id}, {"place": "commune_office"}):
        posting = api.call(
            "commune_officer",
            "POST",
            f"{ROUND}/{rid}/postings",
            201,
            json={**place, "starts_on": "2025-04-25"},
        )
        assert posting["ends_on"] == "2025-05-05"

    complaint = api.call(
        "commune_officer",
        "POST",
        f"/review/cases/{cases['LD-4']['id']}/complaints",
        201,
        json={
            "raised_on": "2025-04-28",
            "complainant": "Vũ Thị Khiếu",
            "reason": "Hộ này đã được công nhận hộ cận nghèo từ đầu năm 2025",
        },
    )
    # Three working days after Monday 28 April: 29 April, 5 and 6 May.
    assert complaint["recheck_due_on"] == "2025-05-06"
    # The re-check finds the household near-poor: the worker no longer qualifies, and the
    # household's own class is not decided by this procedure.
    rechecked = api.call(
        "commune_officer",
        "POST",
        f"/review/complaints/{complaint['id']}/recheck",
        json={
            "outcome_class": "near_poor",
            "note": "Quyết định công nhận hộ cận nghèo số 12/QĐ-UBND",
            "rechecked_on": "2025-05-05",
        },
    )
    assert (rechecked["before_class"], rechecked["outcome_class"]) == ("not_poor", "near_poor")
    after = api.call("commune_officer", "GET", f"/review/cases/{cases['LD-4']['id']}")
    assert (after["income"]["eligible"], after["final_class"]) == (False, None)

    recognised = api.call(
        "commune_chair",
        "POST",
        f"{ROUND}/{rid}/recognition",
        json={"decision_number": "41/QĐ-UBND", "decision_date": "2025-05-06"},
    )
    assert recognised["states"] == {"recognised": 2, "withdrawn": 2}
    assert _standing(session, list(workers.values()), 2025) == {}
    decision, _ = read_paper(
        api.call("commune_chair", "GET", f"{ROUND}/{rid}/documents/decision"),
        "ld-quyet-dinh",
        tmp_path,
    )
    assert "1. Danh sách hộ có người lao động thu nhập thấp: 1 hộ." in decision
    assert "LD-1" in decision
    assert "Thành viên:" in decision
    assert not any(code in decision for code in ("LD-2", "LD-3", "LD-4"))
