"""Sending the answers as an application: it enters the commune's round as an applicant
(Form 01) with the phone and the answers kept; without consent, a token or an open review
nothing is stored; and one address is held back after a few tries, in Vietnamese."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import today
from server.households.models import Household
from server.selfcheck.limits import CHECK, SEND
from server.selfcheck.models import SelfCheckApplication
from tests.selfcheck.pages import csrf_of, on_day, verdict
from tests.server.conftest import World, login

TODAY = date(2026, 12, 2)
# A rural household of three, 900,000 đồng a person a month, drinking river water, with a
# hanging latrine and an uninsured adult: three needs not met, so poor.
POOR: dict[str, Any] = {
    "area": "rural",
    "members": "3",
    "m0_name": "Lò Văn Páo",
    "m0_birth": "12/03/1985",
    "m0_sex": "male",
    "m0_relation": "head",
    "m0_employment": "self_employed",
    "m0_pension": "no",
    "m0_disability": "none",
    "m0_health_insurance": "no",
    "m0_education": "upper_secondary",
    "m0_in_school": "no",
    "m0_uses_internet": "yes",
    "m1_name": "Lò Thị Ênh",
    "m1_birth": "1988",
    "m1_sex": "female",
    "m1_relation": "spouse",
    "m1_employment": "self_employed",
    "m1_pension": "no",
    "m1_disability": "none",
    "m1_health_insurance": "yes",
    "m1_education": "upper_secondary",
    "m1_in_school": "no",
    "m2_name": "Lò Văn Tú",
    "m2_birth": "05/09/2015",
    "m2_sex": "male",
    "m2_relation": "child",
    "m2_employment": "not_in_labour_force",
    "m2_disability": "none",
    "m2_health_insurance": "yes",
    "m2_education": "primary",
    "m2_in_school": "yes",
    "m2_school_level": "lower_secondary",
    "m2_stunted": "no",
    "m2_underweight": "no",
    "income_month": "900.000",
    "walls": "brick",
    "frame": "brick",
    "roof": "tile",
    "floor_area_m2": "40",
    "water_source": "surface_water",
    "latrine": "hanging",
    "waste_disposal": "collected",
}


def _stored(session: Session) -> tuple[int, int]:
    households = session.scalar(
        select(func.count()).select_from(Household).where(Household.code.startswith("TDG-"))
    )
    applications = session.scalar(select(func.count()).select_from(SelfCheckApplication))
    return households or 0, applications or 0


def _result(client: TestClient) -> str:
    page = client.post("/tu-danh-gia", data=POOR)
    assert page.status_code == 200, page.text
    text: str = page.text
    return text


def _open_annual_round(client: TestClient, commune_id: int) -> int:
    response = client.post(
        "/api/v1/review/rounds",
        headers=login(client, "commune_officer"),
        json={"commune_id": commune_id, "procedure": "annual", "year": 2026},
    )
    assert response.status_code == 201, response.json()
    round_id: int = response.json()["id"]
    return round_id


def test_the_answers_show_a_poor_household_with_its_reasons(
    app: FastAPI, client: TestClient
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    shown_class, indicators = verdict(_result(client))
    assert shown_class == "poor"
    deprived = sorted(key for key, (status, _) in indicators.items() if status == "deprived")
    assert deprived == ["health_insurance", "latrine", "water_source"]
    # December 2026 is inside the annual review, which makes the 2027 list: its standard.
    assert "digital_services" in indicators
    assert "telecom" not in indicators


def test_an_application_sent_from_the_page_is_in_the_communes_list(
    app: FastAPI, client: TestClient, world: World, session: Session
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    round_id = _open_annual_round(client, world.commune_ids[0])
    csrf = csrf_of(_result(client))

    sent = client.post(
        "/tu-danh-gia/gui",
        data={
            **POOR,
            "csrf": csrf,
            "consent": "yes",
            "phone": "0912 345 678",
            "hamlet_id": str(world.hamlets["A"].id),
            "address": "Số 7, ngõ 3",
        },
    )
    assert sent.status_code == 200, sent.text
    assert "0912345678" in sent.text
    assert "Khu phố 1" in sent.text

    cases = client.get(
        "/api/v1/review/cases",
        params={"round_id": round_id},
        headers=login(client, "commune_officer"),
    ).json()
    applicants = [case for case in cases if case["listed_because"] == "applicant"]
    assert len(applicants) == 1
    case = applicants[0]
    assert (case["head_name"], case["application"], case["state"]) == (
        "Lò Văn Páo",
        "form01",
        "listed",
    )
    assert case["household_code"] == "TDG-00001"
    assert case["hamlet_id"] == world.hamlets["A"].id
    kept = session.scalars(select(SelfCheckApplication)).one()
    assert (kept.case_id, kept.phone) == (case["id"], "0912345678")
    assert kept.result["class"] == "poor"
    assert len(kept.answers["members"]) == 3


def test_nothing_is_stored_without_consent(
    app: FastAPI, client: TestClient, world: World, session: Session
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    _open_annual_round(client, world.commune_ids[0])
    csrf = csrf_of(_result(client))
    form = {**POOR, "csrf": csrf, "phone": "0912345678", "hamlet_id": str(world.hamlets["A"].id)}

    refused = client.post("/tu-danh-gia/gui", data=form)
    assert refused.status_code == 422
    assert "Hãy đánh dấu vào ô đồng ý trước khi gửi" in refused.text
    assert _stored(session) == (0, 0)


def test_nothing_is_stored_without_the_forms_token(
    app: FastAPI, client: TestClient, world: World, session: Session
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    _open_annual_round(client, world.commune_ids[0])
    _result(client)
    form = {
        **POOR,
        "csrf": "forged",
        "consent": "yes",
        "phone": "0912345678",
        "hamlet_id": str(world.hamlets["A"].id),
    }

    refused = client.post("/tu-danh-gia/gui", data=form)
    assert refused.status_code == 422
    assert _stored(session) == (0, 0)


def test_a_commune_without_an_open_review_is_told_where_to_go(
    app: FastAPI, client: TestClient, world: World, session: Session
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    csrf = csrf_of(_result(client))
    form = {
        **POOR,
        "csrf": csrf,
        "consent": "yes",
        "phone": "0912345678",
        "hamlet_id": str(world.hamlets["C"].id),
    }

    refused = client.post("/tu-danh-gia/gui", data=form)
    assert refused.status_code == 409
    assert "Xã Hai chưa mở đợt rà soát nhận giấy đề nghị" in refused.text
    assert _stored(session) == (0, 0)


def test_one_address_is_held_back_after_too_many_checks(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    for _ in range(CHECK.times):
        assert client.post("/tu-danh-gia", data=POOR).status_code == 200

    held = client.post("/tu-danh-gia", data=POOR)
    assert held.status_code == 429
    assert "Bạn đã gửi quá nhiều lần" in held.text
    assert 0 < int(held.headers["retry-after"]) <= CHECK.seconds


def test_one_address_is_held_back_after_too_many_sends(
    app: FastAPI, client: TestClient, world: World, session: Session
) -> None:
    app.dependency_overrides[today] = on_day(TODAY)
    form = {**POOR, "phone": "0912345678", "hamlet_id": str(world.hamlets["A"].id)}
    for _ in range(SEND.times):
        assert client.post("/tu-danh-gia/gui", data=form).status_code == 422

    held = client.post("/tu-danh-gia/gui", data=form)
    assert held.status_code == 429
    assert _stored(session) == (0, 0)
