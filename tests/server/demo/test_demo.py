"""The demo commune matches seed 000's figures and every household classifies as generated."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.auth.security import Security
from server.demo.commune import HAMLETS
from server.demo.service import DEMO_PASSWORD, build_demo
from server.geography.models import Hamlet
from server.households.models import Classification, Household, HouseholdYear, Member


def test_demo_commune_matches_the_plan(
    session: Session, security: Security, client: TestClient
) -> None:
    summary = build_demo(session, security)
    session.commit()
    assert summary.households == 2567
    assert (summary.classes["poor"], summary.classes["near_poor"]) == (8, 34)
    rows = session.execute(
        select(Hamlet.code, HouseholdYear.household_class, func.count())
        .join(Household, Household.hamlet_id == Hamlet.id)
        .join(HouseholdYear, HouseholdYear.household_id == Household.id)
        .where(HouseholdYear.year == 2022)
        .group_by(Hamlet.code, HouseholdYear.household_class)
    ).all()
    counts: Counter[tuple[str, str]] = Counter({(code, cls): n for code, cls, n in rows})
    for hamlet in HAMLETS:
        total = sum(n for (code, _), n in counts.items() if code == hamlet.code)
        assert (total, counts[hamlet.code, "poor"], counts[hamlet.code, "near_poor"]) == (
            hamlet.households,
            hamlet.poor,
            hamlet.near_poor,
        )
    assert {login.role.value for login in summary.logins} == {
        "enumerator",
        "hamlet_head",
        "helping_officer",
        "commune_officer",
        "commune_chair",
        "province_viewer",
        "admin",
    }
    for login in summary.logins:
        response = client.post(
            "/api/v1/auth/login",
            json={"username": login.username, "password": DEMO_PASSWORD, "device_id": "demo-0001"},
        )
        assert response.status_code == 200, login
    stored = (
        session.execute(
            select(Classification.result).where(
                Classification.household_class.in_(["poor", "near_poor"])
            )
        )
        .scalars()
        .all()
    )
    assert len(stored) == 42
    assert all(result["complete"] for result in stored)
    members = session.scalar(select(func.count()).select_from(Member))
    assert members is not None
    assert members > 2567 * 2
