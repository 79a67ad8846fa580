"""Seed 002's plan in the demo commune: 51 registered households, 20 helping officers; every
household gets its officers, nobody is over capacity, hamlet responsibility holds, and the same
input proposes the same assignment."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.auth.security import Security
from server.demo.service import DEMO_PASSWORD, build_demo
from server.demo.support import REGISTERED, YEAR, build_demo_support
from server.support import repository
from server.support.models import ExitRegistration


def _login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD, "device_id": "seed-002"},
    )
    assert response.status_code == 200, response.json()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_every_registered_household_gets_officers_within_the_hard_constraints(
    session: Session, security: Security, client: TestClient
) -> None:
    build_demo(session, security)
    plan = build_demo_support(session)
    session.commit()
    assert len(plan.registration_ids) == REGISTERED
    assert len(plan.officer_ids) == 20
    officer = _login(client, "canbo")
    counts = client.get(
        f"/api/v1/support/communes/{plan.commune_id}/years/{YEAR}/hamlets", headers=officer
    ).json()
    assert sum(c["confirmed"] for c in counts) == REGISTERED
    assert len({c["hamlet_id"] for c in counts if c["registered"]}) == 10

    body = {"commune_id": plan.commune_id, "year": YEAR}
    first = client.post("/api/v1/support/proposals", json=body, headers=officer)
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/support/proposals", json=body, headers=officer)
    assert again.json()["picks"] == first.json()["picks"]
    assert again.json()["total_cost"] == first.json()["total_cost"]
    proposal = again.json()
    assert proposal["unassigned"] == []

    officers = {o.id: o for o in repository.officers(session, plan.commune_id)}
    registrations = {
        r.id: r for r in session.query(ExitRegistration).filter(ExitRegistration.year == YEAR)
    }
    given = Counter(p["registration_id"] for p in proposal["picks"])
    for registration_id in plan.registration_ids:
        assert given[registration_id] == registrations[registration_id].officers_needed
    for pick in proposal["picks"]:
        chosen = officers[pick["officer_id"]]
        hamlet = registrations[pick["registration_id"]].hamlet_id
        assert not chosen.hamlet_ids or hamlet in chosen.hamlet_ids
        explanation = pick["explanation"]
        assert {"skills_matched", "distance_km", "load", "capacity"} <= set(explanation)
        assert explanation["distance_km"] is not None
    pairs = [(p["registration_id"], p["officer_id"]) for p in proposal["picks"]]
    assert len(pairs) == len(set(pairs))
    loads = Counter(p["officer_id"] for p in proposal["picks"])
    assert all(loads[o] <= officers[o].capacity for o in loads)
    assert all(p["explanation"]["load"] == loads[p["officer_id"]] for p in proposal["picks"])

    accepted = client.post(
        f"/api/v1/support/proposals/{proposal['id']}/decision", json={}, headers=officer
    )
    assert accepted.status_code == 200, accepted.json()
    held = repository.active_assignments(session, plan.registration_ids)
    assert all(len(held[r]) == registrations[r].officers_needed for r in plan.registration_ids)
    stale = client.post(
        f"/api/v1/support/proposals/{first.json()['id']}/decision", json={}, headers=officer
    )
    assert (stale.status_code, stale.json()["error"]) == (409, "proposal_closed")
