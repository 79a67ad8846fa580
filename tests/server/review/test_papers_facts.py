"""Forms 01, 03 and 04 carry the members' facts Decision 24/2021 asks for, in words: ethnic
group by name, identity number (masked for roles that do not see it), residence, status, no
labour capacity, social allowance, revolutionary merit; never a code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.documents import content, render
from server.households.models import Household
from server.households.service import MemberData, SurveyFacts, register_household
from server.review.papers import paper_members
from tests.server.review.conftest import Api, Commune, read_paper

ROUND = "/review/rounds"
CODES = ("head", "spouse", "parent", "male", "female", "working", "not_working", "lack_land")


def _household(session: Session, commune: Commune, code: str) -> Household:
    household = register_household(
        session,
        SYSTEM,
        commune.world.hamlets["A"],
        code,
        "Lò Văn Inh",
        "Bản Nà Sang",
        members=[
            MemberData(
                "1",
                "Lò Văn Inh",
                date(1975, 3, 2),
                "male",
                "head",
                "011075001234",
                date(2021, 6, 10),
                "Cục Cảnh sát QLHC về TTXH",
                ethnicity="03",
                permanent_residence="Bản Nà Sang, xã Mường Khương",
                activity="working",
                no_labour_capacity=False,
                monthly_social_allowance_vnd=0,
                revolutionary_merit=True,
            ),
            MemberData(
                "2",
                "Lò Thị Mai",
                date(1950, 1, 1),
                "female",
                "parent",
                ethnicity="03",
                permanent_residence="Bản Nà Sang, xã Mường Khương",
                current_residence="Tổ 3, thị trấn Phố Lu",
                activity="not_working",
                no_labour_capacity=True,
                monthly_social_allowance_vnd=540_000,
            ),
        ],
        facts=SurveyFacts(["ethnic_minority", "revolutionary_merit"], ["lack_land"]),
    )
    session.commit()
    return household


def test_forms_01_and_04_list_the_members_facts_in_words(
    api: Api, commune: Commune, session: Session, tmp_path: Path, poppler: None
) -> None:
    entering = _household(session, commune, "F-01")
    leaving = _household(session, commune, "F-04")
    round_ = api.call(
        "commune_officer",
        "POST",
        ROUND,
        201,
        json={"commune_id": commune.world.commune_ids[0], "year": 2023},
    )
    cases = {
        form: api.call(
            "commune_officer",
            "POST",
            f"{ROUND}/{round_['id']}/cases",
            201,
            json={"household_id": household.id, "application": form},
        )["id"]
        for form, household in (("form01", entering), ("form04", leaving))
    }
    pdf = api.call(
        "commune_officer", "GET", f"/review/cases/{cases['form01']}/documents/application"
    )
    text, pages = read_paper(pdf, "mau-01", tmp_path, pages=1)
    assert "GIẤY ĐỀ NGHỊ XÉT DUYỆT HỘ NGHÈO" in text
    # Words that fit their cell's line; the wrapped ones were looked at on the PNG.
    for words in ("Thái", "011075001234", "Chủ hộ", "Bố/mẹ", "Đang làm", "Không làm"):
        assert words in text, words
    assert "540.000 đ" in text
    assert "Phố Lu" in text
    assert "Thiếu đất sản xuất" in text
    assert "Hộ dân tộc thiểu số" in text
    assert not [code for code in CODES if f" {code} " in f" {text} "]
    assert pages
    form04 = api.call(
        "commune_officer", "GET", f"/review/cases/{cases['form04']}/documents/application"
    )
    text04, _ = read_paper(form04, "mau-04", tmp_path)
    assert "GIẤY ĐỀ NGHỊ CÔNG NHẬN HỘ THOÁT NGHÈO" in text04
    # A role that does not see identity numbers sees them masked on the paper too.
    masked = api.call(
        "province_viewer", "GET", f"/review/cases/{cases['form01']}/documents/application"
    )
    masked_text, _ = read_paper(masked, "mau-01-masked", tmp_path)
    assert "011075001234" not in masked_text
    assert "234" in masked_text
    # A case listed by the review itself (not an application) has no Form 01 or 04.
    listed = api.call("commune_officer", "GET", "/review/cases", params={"round_id": round_["id"]})
    other = next(c["id"] for c in listed if c["application"] is None)
    missing = api.call(
        "commune_officer", "GET", f"/review/cases/{other}/documents/application", 404
    )
    assert missing["error"] == "not_found"


def test_form_03_lists_the_members_facts_in_words(
    commune: Commune, session: Session, tmp_path: Path, poppler: None
) -> None:
    household = _household(session, commune, "F-03")
    line = content.Line(
        household.code, household.head_name, household.address, "Khu phố 1", "poor", ""
    )
    paper = content.Certificate(
        place=content.Place("Thanh Hóa", "Thị trấn Một"),
        year=2023,
        number="01/GCN",
        kind="issued",
        issued_on=date(2023, 12, 11),
        decision_number="12/QĐ-UBND",
        decided_on=date(2023, 12, 8),
        line=line,
        members=paper_members(household, show_ids=True),
    )
    text, pages = read_paper(render.certificates([paper]), "mau-03", tmp_path, pages=1)
    for words in ("GIẤY CHỨNG NHẬN HỘ NGHÈO", "Thái", "Chủ hộ", "Đang làm", "540.000 đ"):
        assert words in text, words
    assert not [code for code in CODES if f" {code} " in f" {text} "]
    assert pages
