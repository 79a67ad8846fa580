"""A full annual round through the API, from listing to certificates, with the papers
rendered; and the refusals along the way (illegal transitions, outside scope)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.audit.service import verify
from server.households.models import Classification, HouseholdYear
from server.review.models import Transition
from tests.server.review.conftest import SURVEY_2023, Api, Commune, read_paper, survey

ROUND = "/review/rounds"


def _by_code(cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["household_code"]: c for c in cases}


def _pull_cases(api: Api, username: str) -> dict[int, Any]:
    cursor = ""
    found: dict[int, Any] = {}
    while True:
        page = api.call(username, "GET", "/sync/pull", params={"cursor": cursor, "limit": 500})
        for item in page["items"]:
            if item["e"] == "review_case":
                found[int(item["k"])] = item["d"]
        cursor = page["cursor"]
        if not page["more"]:
            return found


def test_annual_round_from_listing_to_certificates(
    api: Api, commune: Commune, session: Session, tmp_path: Path, poppler: None
) -> None:
    world = commune.world
    commune_id = world.commune_ids[0]
    hamlet_a, hamlet_b = world.hamlets["A"].id, world.hamlets["B"].id

    # Listing: last year's poor and near-poor lists, plus an applicant.
    round_ = api.call(
        "commune_officer", "POST", ROUND, 201, json={"commune_id": commune_id, "year": 2023}
    )
    assert (round_["starts_on"], round_["ends_on"]) == ("2023-09-01", "2023-12-14")
    assert round_["states"] == {"listed": 6}
    rid = round_["id"]
    applicant = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/cases",
        201,
        json={"household_id": commune.household_id("HH-B"), "application": "form01"},
    )
    assert applicant["listed_because"] == "applicant"

    # Surveys from the tablets, then collected into the queue.
    for code, target in SURVEY_2023.items():
        surveyor = (
            "enumerator" if commune.households[code].hamlet_id == hamlet_a else "enumerator_b"
        )
        api.call(surveyor, "POST", "/surveys", 201, json=survey(commune, code, target))
    moved = api.call("commune_officer", "POST", f"{ROUND}/{rid}/collect")
    assert len(moved) == 7
    queue = _by_code(api.call("commune_officer", "GET", f"{ROUND}/{rid}/queue"))
    assert {c: q["state"] for c, q in queue.items()} == dict.fromkeys(SURVEY_2023, "surveyed")
    changes = {c: q["change"] for c, q in queue.items()}
    assert changes == {
        "HH-A": "unchanged",
        "A-poor": "unchanged",
        "A-near": "near_poor_to_poor",
        "A-exits": "exited_poverty",
        "B-near": "unchanged",
        "B-poor": "poor_to_near_poor",
        "HH-B": "newly_poor",
    }
    poor = queue["A-poor"]
    assert poor["engine_class"] == "poor"
    assert len(poor["deprivations"]) >= 3
    assert all(d["reason"] for d in poor["deprivations"])
    assert poor["allowed_actions"] == ["start_review", "withdraw"]

    # Return with comments on questions; the enumerator's device gets them on its next pull.
    returned = api.call(
        "commune_officer",
        "POST",
        f"/review/cases/{poor['id']}/return",
        json={"comments": [{"question": "members[1].employment", "text": "Kiểm tra lại việc làm"}]},
    )
    assert returned["state"] == "returned"
    pulled = _pull_cases(api, "enumerator")
    assert pulled[poor["id"]]["state"] == "returned"
    assert [c["question"] for c in pulled[poor["id"]]["comments"]] == ["members[1].employment"]
    assert poor["id"] not in _pull_cases(api, "enumerator_b")
    listed = api.call("enumerator", "GET", "/review/cases", params={"state": "returned"})
    assert [c["id"] for c in listed] == [poor["id"]]

    # The corrected survey replaces the first; both stay in the history.
    api.call("enumerator", "POST", "/surveys", 201, json=survey(commune, "A-poor", "poor", 1))
    again = api.call("enumerator", "POST", f"/review/cases/{poor['id']}/survey", json={})
    assert again["state"] == "resurveyed"
    assert again["comments"][0]["addressed_by"] == again["survey_id"]
    detail = api.call("commune_officer", "GET", f"/review/cases/{poor['id']}")
    assert [s["current"] for s in detail["surveys"]] == [False, True]
    assert [t["to_state"] for t in detail["transitions"]] == [
        "surveyed",
        "under_review",
        "returned",
        "resurveyed",
    ]
    assert _pull_cases(api, "enumerator")[poor["id"]]["comments"] == []

    # Override needs a written reason and is flagged.
    near = queue["B-near"]
    refused = api.call(
        "commune_officer",
        "POST",
        f"/review/cases/{near['id']}/override",
        422,
        json={"household_class": "poor", "reason": "vì"},
    )
    assert refused["error"] == "reason_required"
    overridden = api.call(
        "commune_officer",
        "POST",
        f"/review/cases/{near['id']}/override",
        json={
            "household_class": "poor",
            "reason": "Chủ hộ mới mất sức lao động sau tai nạn tháng 10, thu nhập giảm hẳn",
        },
    )
    assert (overridden["final_class"], overridden["overridden"]) == ("poor", True)
    assert overridden["change"] == "near_poor_to_poor"

    for case in api.call("commune_officer", "GET", f"{ROUND}/{rid}/queue"):
        accepted = api.call("commune_officer", "POST", f"/review/cases/{case['id']}/accept")
        assert accepted["state"] == "accepted"

    # Hamlet meetings: a vote below half sends the case back to review.
    meeting_in = {
        "held_on": "2023-11-20",
        "chair_name": "Lê Văn Trưởng",
        "secretary_name": "Phạm Thị Thư",
        "front_supervisor": "Hoàng Minh Giám",
        "households_represented": 38,
        "others_present": 2,
    }
    meeting_a = api.call(
        "hamlet_head",
        "POST",
        f"{ROUND}/{rid}/meetings",
        201,
        json={**meeting_in, "hamlet_id": hamlet_a},
    )
    meeting_b = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/meetings",
        201,
        json={**meeting_in, "hamlet_id": hamlet_b},
    )
    assert meeting_a["attendees"] == 40
    cases = _by_code(api.call("commune_officer", "GET", "/review/cases", params={"round_id": rid}))
    in_a = [c for c in cases.values() if c["hamlet_id"] == hamlet_a]
    in_b = [c for c in cases.values() if c["hamlet_id"] == hamlet_b]
    wrong = api.call(
        "commune_officer",
        "POST",
        f"/review/meetings/{meeting_a['id']}/votes",
        409,
        json={"votes": [{"case_id": in_b[0]["id"], "agree": 30}]},
    )
    assert wrong["error"] == "meeting_required"
    votes = [
        {"case_id": c["id"], "agree": 20 if c["household_code"] == "A-exits" else 35} for c in in_a
    ]
    voted = api.call(
        "hamlet_head", "POST", f"/review/meetings/{meeting_a['id']}/votes", json={"votes": votes}
    )
    assert {v["case_id"]: v["passed"] for v in voted["votes"]} == {c["id"]: True for c in in_a}
    failing = cases["A-exits"]
    api.call(
        "hamlet_head",
        "POST",
        f"/review/meetings/{meeting_a['id']}/votes",
        409,
        json={"votes": [{"case_id": failing["id"], "agree": 19}]},
    )
    api.call(
        "commune_officer",
        "POST",
        f"/review/meetings/{meeting_b['id']}/votes",
        json={
            "votes": [{"case_id": c["id"], "agree": 19} for c in in_b][:1]
            + [{"case_id": c["id"], "agree": 40} for c in in_b][1:]
        },
    )
    back = api.call("commune_officer", "GET", f"/review/cases/{in_b[0]['id']}")
    assert back["state"] == "under_review"
    api.call("commune_officer", "POST", f"/review/cases/{in_b[0]['id']}/accept")
    api.call(
        "commune_officer",
        "POST",
        f"/review/meetings/{meeting_b['id']}/votes",
        json={"votes": [{"case_id": in_b[0]["id"], "agree": 21}]},
    )
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(image, "JPEG")
    jpeg = image.getvalue()
    photo = api.call(
        "hamlet_head", "PUT", f"/review/meetings/{meeting_a['id']}/minutes-photo", content=jpeg
    )
    assert photo["minutes_photo_sha256"]

    # Posting: three working days from Thursday 30 November 2023 end on Monday 4 December.
    for hamlet_id in (hamlet_a, hamlet_b):
        posting = api.call(
            "commune_officer",
            "POST",
            f"{ROUND}/{rid}/postings",
            201,
            json={"hamlet_id": hamlet_id, "starts_on": "2023-11-30"},
        )
        assert posting["ends_on"] == "2023-12-04"
    complaint = api.call(
        "commune_officer",
        "POST",
        f"/review/cases/{cases['A-exits']['id']}/complaints",
        201,
        json={
            "raised_on": "2023-12-01",
            "complainant": "Trần Văn Khiếu",
            "reason": "Hộ còn nợ ngân hàng chính sách, chưa đủ điều kiện thoát nghèo",
        },
    )
    assert complaint["recheck_due_on"] == "2023-12-06"

    # Recognition: not by the officer, not before the posting ends, not with a complaint open.
    decision = {"decision_number": "125/QĐ-UBND", "decision_date": "2023-12-04"}
    forbidden = api.call(
        "commune_officer", "POST", f"{ROUND}/{rid}/recognition", 403, json=decision
    )
    assert forbidden["error"] == "forbidden"
    early = api.call("commune_chair", "POST", f"{ROUND}/{rid}/recognition", 409, json=decision)
    assert early["error"] == "round_not_ready"
    api.call(
        "commune_officer",
        "POST",
        f"/review/complaints/{complaint['id']}/recheck",
        json={
            "outcome_class": "not_poor",
            "note": "Thu nhập đã vượt chuẩn",
            "rechecked_on": "2023-12-05",
        },
    )
    # Posted at the hamlets only: the commune office's posting is missing.
    early = api.call("commune_chair", "POST", f"{ROUND}/{rid}/recognition", 409, json=decision)
    assert (early["error"], early["detail"]["missing"]) == ("round_not_ready", "commune_office")
    assert early["detail"]["count"] == 7

    # The commune office posts every case posted at a hamlet: Friday 1 December to Tuesday 5.
    office = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/postings",
        201,
        json={"place": "commune_office", "starts_on": "2023-12-01"},
    )
    assert (office["place"], office["hamlet_id"]) == ("commune_office", None)
    assert office["ends_on"] == "2023-12-05"
    assert sorted(office["case_ids"]) == sorted(c["id"] for c in cases.values())
    nothing_left = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/postings",
        422,
        json={"place": "commune_office", "starts_on": "2023-12-04"},
    )
    assert nothing_left["error"] == "nothing_to_post_at_office"
    mixed = api.call(
        "commune_officer",
        "POST",
        f"{ROUND}/{rid}/postings",
        422,
        json={"place": "commune_office", "hamlet_id": hamlet_a, "starts_on": "2023-12-04"},
    )
    assert mixed["error"] == "invalid_request"
    shown = api.call("commune_officer", "GET", f"{ROUND}/{rid}")
    assert [(p["place"], p["ends_on"]) for p in shown["postings"]] == [
        ("hamlet", "2023-12-04"),
        ("hamlet", "2023-12-04"),
        ("commune_office", "2023-12-05"),
    ]
    detail = api.call("commune_officer", "GET", f"/review/cases/{cases['HH-A']['id']}")
    assert detail["office_posting_id"] == office["id"]

    # The hamlets' postings are over on the 5th, the office's is not.
    late_office = {"decision_number": "125/QĐ-UBND", "decision_date": "2023-12-05"}
    early = api.call("commune_chair", "POST", f"{ROUND}/{rid}/recognition", 409, json=late_office)
    assert early["error"] == "posting_not_ended"
    assert (early["detail"]["place"], early["detail"]["ends_on"]) == (
        "commune_office",
        "2023-12-05",
    )
    recognised = api.call(
        "commune_chair",
        "POST",
        f"{ROUND}/{rid}/recognition",
        json={"decision_number": "125/QĐ-UBND", "decision_date": "2023-12-08"},
    )
    assert recognised["states"] == {"recognised": 7}
    standing = {
        row.household_id: row.household_class
        for row in session.scalars(select(HouseholdYear).where(HouseholdYear.year == 2023))
    }
    assert standing[commune.household_id("B-near")] == "poor"
    assert standing[commune.household_id("A-exits")] == "not_poor"
    decided = session.scalars(
        select(Classification).where(Classification.source == "decision")
    ).all()
    assert len(decided) == 7

    certified = api.call(
        "commune_chair", "POST", f"{ROUND}/{rid}/certificates", json={"issued_on": "2023-12-11"}
    )
    kinds = {c["household_code"]: c["certificate_kind"] for c in certified}
    assert kinds == {
        "HH-A": "stamped",
        "A-poor": "stamped",
        "A-near": "issued",
        "B-near": "issued",
        "B-poor": "issued",
        "HH-B": "issued",
    }
    again = api.call("commune_chair", "POST", f"/review/cases/{cases['HH-A']['id']}/accept", 403)
    assert again["error"] == "forbidden"

    # Every transition is in the audit log, and the chain holds.
    transitions = session.scalars(select(Transition)).all()
    audited = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "review_case", AuditEntry.action.like("review_%")
        )
    ).all()
    moves = [a for a in audited if a.action not in ("review_list", "review_override")]
    assert len(moves) == len(transitions)
    assert verify(session).ok

    # The papers, in Vietnamese with the font embedded.
    papers = {
        "bien-ban-hop-dan": f"/review/meetings/{meeting_a['id']}/minutes",
        "niem-yet-thon": f"{ROUND}/{rid}/documents/posting?hamlet_id={hamlet_a}",
        "niem-yet-xa": f"{ROUND}/{rid}/documents/posting",
        "quyet-dinh": f"{ROUND}/{rid}/documents/decision",
        "giay-chung-nhan": f"{ROUND}/{rid}/documents/certificates",
    }
    expected = {
        "bien-ban-hop-dan": ["BIÊN BẢN HỌP DÂN", "Bản số 2", "Hoàng Minh Giám"],
        "niem-yet-thon": ["DANH SÁCH NIÊM YẾT", "Khu phố 1", "04 tháng 12 năm 2023"],
        "niem-yet-xa": ["KẾT QUẢ PHÚC TRA", "Khu phố 2", "trụ sở UBND", "01 tháng 12 năm 2023"],
        "quyet-dinh": ["125/QĐ-UBND", "Danh sách hộ thoát nghèo", "Hộ cận nghèo"],
        "giay-chung-nhan": ["GIẤY CHỨNG NHẬN HỘ NGHÈO", "Nguyễn Thị Hường"],
    }
    for name, path in papers.items():
        pdf = api.call("commune_chair", "GET", path)
        assert b"RasoatSans" in pdf or b"DejaVu" in pdf
        text, pages = read_paper(pdf, name, tmp_path, 3)
        assert pages, name
        for phrase in expected[name]:
            assert phrase in text, (name, phrase)
