"""The province's sign-off of a commune's round: while it stands, accepting, overriding,
returning and the chair's recognition are refused with ``round_signed_off`` through the
service (the API answers it too); reopening lets them through again."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.audit.service import SYSTEM
from server.auth.models import User
from server.auth.policy import Principal, Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import actor_of, create_user, principal_of
from server.db import utcnow
from server.review import service
from server.review.models import Case, SignOff
from shared.errors import ErrorCode, RasoatError
from tests.server.conftest import PASSWORD, World, login, round_with_applicant


def _principal(session: Session, username: str) -> Principal:
    user = session.scalars(select(User).where(User.username == username)).one()
    return principal_of(user, 0)


@pytest.fixture
def listed(client: TestClient, world: World) -> tuple[int, int]:
    """Commune 1's round of 2023 with household B listed: the round's and the case's id."""
    return round_with_applicant(client, world, "signoff-device-1")


def test_a_signed_off_round_refuses_changes_until_reopened(
    client: TestClient, session: Session, listed: tuple[int, int]
) -> None:
    round_id, case_id = listed
    province = _principal(session, "province_viewer")
    officer = _principal(session, "commune_officer")
    chair = _principal(session, "commune_chair")
    signed = service.sign_off(session, province, actor_of(province), round_id, utcnow())
    session.commit()

    headers = login(client, "commune_officer", "signoff-device-2")
    for path, body in (
        (f"/api/v1/review/cases/{case_id}/accept", None),
        (
            f"/api/v1/review/cases/{case_id}/override",
            {"household_class": "poor", "reason": "Thu nhập thực tế thấp hơn khai báo"},
        ),
    ):
        refused = client.post(path, json=body, headers=headers)
        assert (refused.status_code, refused.json()["error"]) == (409, "round_signed_off")
    with pytest.raises(RasoatError) as recognition:
        service.recognise(
            session, chair, actor_of(chair), round_id, "12/QĐ", date(2023, 12, 8), date(2023, 12, 9)
        )
    assert recognition.value.code is ErrorCode.ROUND_SIGNED_OFF
    with pytest.raises(RasoatError) as twice:
        service.sign_off(session, province, actor_of(province), round_id, utcnow())
    assert twice.value.code is ErrorCode.ROUND_SIGNED_OFF

    service.reopen(session, province, actor_of(province), round_id, " Sai số hộ ", utcnow())
    session.commit()
    assert (signed.reopened_by, signed.reopen_reason) == (province.user_id, "Sai số hộ")
    # Reopened, the case's own state decides: a listed case is not yet surveyed.
    with pytest.raises(RasoatError) as after:
        service.accept(session, officer, actor_of(officer), case_id)
    assert after.value.code is ErrorCode.ILLEGAL_TRANSITION
    with pytest.raises(RasoatError) as again:
        service.reopen(session, province, actor_of(province), round_id, None, utcnow())
    assert again.value.code is ErrorCode.ROUND_NOT_SIGNED_OFF
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "review_round")
    ).all()
    assert {"sign_off", "reopen"} <= set(actions)
    assert session.scalars(select(SignOff).where(SignOff.round_id == round_id)).all() == [signed]


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("commune_officer", ErrorCode.FORBIDDEN),
        ("commune_chair", ErrorCode.FORBIDDEN),
        ("admin", ErrorCode.FORBIDDEN),
        ("viewer_p2", ErrorCode.OUT_OF_SCOPE),
    ],
)
def test_only_the_communes_province_signs_off(
    session: Session,
    security: Security,
    world: World,
    listed: tuple[int, int],
    username: str,
    code: ErrorCode,
) -> None:
    round_id, _ = listed
    if username == "viewer_p2":
        other = Scope(ScopeKind.PROVINCE, province_id=world.province_ids[1])
        create_user(
            session, security, SYSTEM, username, "P2", PASSWORD, Role.PROVINCE_VIEWER, other
        )
    principal = _principal(session, username)
    with pytest.raises(RasoatError) as refused:
        service.sign_off(session, principal, actor_of(principal), round_id, utcnow())
    assert refused.value.code is code
    assert service.standing_signoff(session, round_id) is None


def _console(app: FastAPI, username: str) -> tuple[TestClient, str]:
    """Return a console client signed in as ``username`` and its forms' CSRF token."""
    browser = TestClient(app)
    token = re.search(r'name="csrf" value="([^"]+)"', browser.get("/").text)
    assert token is not None
    signed = browser.post(
        "/signin",
        data={"username": username, "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]
    token = re.search(r'name="csrf" value="([^"]+)"', browser.get("/home").text)
    assert token is not None
    return browser, token.group(1)


def test_the_province_page_signs_off_and_the_commune_sees_why_it_is_refused(
    app: FastAPI, session: Session, world: World, listed: tuple[int, int]
) -> None:
    round_id, case_id = listed
    province, csrf = _console(app, "province_viewer")
    page = province.get("/province", params={"year": 2023})
    assert page.status_code == 200
    row = re.search(r'<a href="/home\?commune_id=(\d+)">Thị trấn Một', page.text)
    assert row is not None
    assert int(row.group(1)) == world.commune_ids[0]
    cases = session.scalars(select(Case).where(Case.round_id == round_id)).all()
    assert f"0/{len(cases)}</td>" in page.text  # none surveyed yet
    signed = province.post(f"/rounds/{round_id}/signoff", data={"csrf": csrf, "back": "/province"})
    assert "Đã ký xác nhận số liệu" in signed.text
    assert f'action="/rounds/{round_id}/reopen"' in signed.text

    officer, officer_csrf = _console(app, "commune_officer")
    refused = officer.post(f"/cases/{case_id}/accept", data={"csrf": officer_csrf})
    assert refused.url.path == f"/cases/{case_id}"
    assert "Tỉnh đã ký xác nhận số liệu của đợt rà soát" in refused.text
    tracker = officer.get(f"/rounds/{round_id}")
    assert "Tỉnh đã ký xác nhận số liệu này lúc" in tracker.text

    reopened = province.post(
        f"/rounds/{round_id}/reopen", data={"csrf": csrf, "reason": "Sai số hộ"}
    )
    assert "Đã mở lại đợt rà soát" in reopened.text
    assert f'action="/rounds/{round_id}/signoff"' in reopened.text
    assert "Tỉnh đã ký xác nhận" not in officer.get(f"/rounds/{round_id}").text
