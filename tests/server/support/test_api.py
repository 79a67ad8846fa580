"""The support API: registrations, the officers' registry, proposals and decisions, plans,
visits and progress; scope checks, audit entries and catalog errors."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.demo.population import random_household
from tests.server.conftest import World, login
from tests.server.support.conftest import (
    YEAR,
    Plan,
    officer_body,
    registration_form,
    visit_form,
)


def _audited(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("error")


def test_officers_registry_is_kept_by_the_commune_officer(
    client: TestClient, world: World, session: Session
) -> None:
    officer = login(client, "commune_officer")
    made = client.post("/api/v1/support/officers", json=officer_body(world), headers=officer)
    assert made.status_code == 201, made.json()
    assert _audited(session, "create")[-1].entity == "helping_officer"
    body = officer_body(world, capacity=5, skills=["health"])
    updated = client.put(
        f"/api/v1/support/officers/{made.json()['id']}", json=body, headers=officer
    )
    assert (updated.status_code, updated.json()["capacity"]) == (200, 5)
    commune = world.commune_ids[0]
    listed = client.get(
        "/api/v1/support/officers",
        params={"commune_id": commune},
        headers=login(client, "helping_officer"),
    )
    assert [o["id"] for o in listed.json()] == [made.json()["id"]]
    refusals = [
        ("hamlet_head", officer_body(world), (403, "forbidden")),
        ("officer_c2", officer_body(world), (403, "out_of_scope")),
        (
            "commune_officer",
            officer_body(world, hamlet_ids=[world.hamlets["C"].id]),
            (422, "hamlet_not_in_commune"),
        ),
        ("commune_officer", officer_body(world, skills=["magic"]), (422, "invalid_request")),
        (
            "commune_officer",
            officer_body(world, base_longitude=None),
            (422, "home_base_incomplete"),
        ),
        ("commune_officer", officer_body(world, commune_id=999_999), (404, "not_found")),
    ]
    for username, payload, expected in refusals:
        response = client.post(
            "/api/v1/support/officers", json=payload, headers=login(client, username)
        )
        assert _error(response) == expected, (username, response.json())
    other = client.get(
        "/api/v1/support/officers",
        params={"commune_id": commune},
        headers=login(client, "officer_c3"),
    )
    assert _error(other) == (403, "out_of_scope")


def test_hamlet_head_registers_by_form_once(
    client: TestClient, world: World, session: Session
) -> None:
    head = login(client, "hamlet_head")
    form = registration_form(world)
    first = client.post("/api/v1/support/forms", json=form, headers=head)
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/support/forms", json=form, headers=head)
    assert (again.status_code, again.json()["replayed"]) == (200, True)
    detail = client.get(
        f"/api/v1/support/registrations/{first.json()['registration_id']}", headers=head
    ).json()
    assert (detail["status"], detail["starting_class"], detail["year"]) == (
        "registered",
        "poor",
        YEAR,
    )
    assert detail["deprivations"] == list(world_deprivations(session, world))
    assert detail["standing"]["stage"] == "registered"
    assert _audited(session, "register")[-1].entity == "exit_registration"
    twice = client.post("/api/v1/support/forms", json=registration_form(world), headers=head)
    assert _error(twice) == (409, "already_registered")


def world_deprivations(session: Session, world: World) -> list[str]:
    from server.households.repository import standing_classifications

    household = world.households["A"]
    return list(standing_classifications(session, [household.id])[household.id].deprived)


@pytest.mark.parametrize(
    ("username", "hamlet", "answers", "expected"),
    [
        ("helping_officer", "A", {}, (403, "forbidden")),
        ("hamlet_head", "B", {}, (403, "out_of_scope")),
        ("commune_officer", "B", {}, (422, "not_on_lists")),
        ("hamlet_head", "A", {"commitment": False}, (422, "validation_failed")),
        ("hamlet_head", "A", {"household_id": "HH-B"}, (422, "answers_other_household")),
        ("hamlet_head", "A", {"target_date": "2024-01-05"}, (422, "validation_failed")),
    ],
)
def test_registration_refusals(
    client: TestClient,
    world: World,
    username: str,
    hamlet: str,
    answers: dict[str, Any],
    expected: tuple[int, str],
) -> None:
    form = registration_form(world, hamlet, **answers)
    response = client.post("/api/v1/support/forms", json=form, headers=login(client, username))
    assert _error(response) == expected, response.json()


def test_registration_by_api_and_targets_per_hamlet(client: TestClient, world: World) -> None:
    officer = login(client, "commune_officer")
    body = {
        "household_id": world.households["A"].id,
        "year": YEAR,
        "causes": ["illness_or_accident"],
        "needs": [{"help_type": "health_insurance"}],
        "target_date": "2023-10-01",
        "officers_needed": 2,
    }
    made = client.post("/api/v1/support/registrations", json=body, headers=officer)
    assert made.status_code == 201, made.json()
    wrong_year = client.post(
        "/api/v1/support/registrations", json={**body, "target_date": "2024-01-01"}, headers=officer
    )
    assert _error(wrong_year) == (422, "target_date_outside_year")
    hamlet = world.hamlets["A"].id
    target = client.put(
        f"/api/v1/support/hamlets/{hamlet}/targets/{YEAR}", json={"households": 4}, headers=officer
    )
    assert target.status_code == 200, target.json()
    assert _error(
        client.put(
            f"/api/v1/support/hamlets/{world.hamlets['C'].id}/targets/{YEAR}",
            json={"households": 1},
            headers=officer,
        )
    ) == (403, "out_of_scope")
    counts = client.get(
        f"/api/v1/support/communes/{world.commune_ids[0]}/years/{YEAR}/hamlets", headers=officer
    ).json()
    assert [(c["hamlet_id"], c["target"], c["registered"], c["confirmed"]) for c in counts] == [
        (hamlet, 4, 1, 0),
        (world.hamlets["B"].id, None, 0, 0),
    ]
    listed = client.get(
        "/api/v1/support/registrations",
        params={"year": YEAR},
        headers=login(client, "enumerator_b"),
    )
    assert listed.json() == []


def test_propose_edit_and_override_are_audited(
    client: TestClient, world: World, session: Session, plan: Plan
) -> None:
    officer = plan.officer
    proposed = client.post(
        "/api/v1/support/proposals",
        json={"commune_id": world.commune_ids[0], "year": YEAR},
        headers=officer,
    )
    assert proposed.status_code == 201, proposed.json()
    (pick,) = proposed.json()["picks"]
    # The women's union member lives near, lends and farms: both needs met.
    assert pick["officer_id"] == plan.officer_ids[0]
    assert pick["explanation"]["skills_matched"] == ["credit", "crops_livestock"]
    assert pick["explanation"]["responsible_for_hamlet"] is True
    edited = client.post(
        f"/api/v1/support/proposals/{proposed.json()['id']}/decision",
        json={
            "changes": [{"registration_id": plan.registration_id, "officer_ids": plan.officer_ids}],
            "reason": "Hai người cùng giúp",
        },
        headers=officer,
    )
    assert edited.status_code == 200, edited.json()
    detail = client.get(
        f"/api/v1/support/registrations/{plan.registration_id}", headers=officer
    ).json()
    assert sorted(a["officer_id"] for a in detail["assignments"]) == plan.officer_ids
    assert {a["source"] for a in detail["assignments"]} == {"edited"}
    assert _audited(session, "accept_edited")
    overridden = client.put(
        f"/api/v1/support/registrations/{plan.registration_id}/officers",
        json={"officer_ids": [plan.officer_ids[1]], "reason": "Chị Hoa chuyển công tác"},
        headers=officer,
    )
    assert overridden.status_code == 200, overridden.json()
    assert [a["officer_id"] for a in overridden.json()] == [plan.officer_ids[1]]
    (entry,) = _audited(session, "override")
    assert entry.before == f'{{"officers":[{plan.officer_ids[0]},{plan.officer_ids[1]}]}}'
    refusals = [
        (
            "PUT",
            f"/api/v1/support/registrations/{plan.registration_id}/officers",
            {"officer_ids": [999_999], "reason": "x"},
            (404, "not_found"),
        ),
        (
            "PUT",
            f"/api/v1/support/registrations/{plan.registration_id}/officers",
            {"officer_ids": [], "reason": ""},
            (422, "invalid_request"),
        ),
        (
            "POST",
            f"/api/v1/support/proposals/{proposed.json()['id']}/decision",
            {},
            (409, "proposal_closed"),
        ),
        ("POST", "/api/v1/support/proposals/999999/decision", {}, (404, "not_found")),
        (
            "POST",
            "/api/v1/support/proposals",
            {"commune_id": world.commune_ids[0], "year": YEAR, "weights": {"load": -1}},
            (422, "invalid_request"),
        ),
        (
            "POST",
            "/api/v1/support/proposals",
            {"commune_id": world.commune_ids[1], "year": YEAR},
            (403, "out_of_scope"),
        ),
    ]
    for method, path, body, expected in refusals:
        response = client.request(method, path, json=body, headers=officer)
        assert _error(response) == expected, (path, response.json())
    helper = login(client, "helping_officer")
    assert _error(
        client.post(
            "/api/v1/support/proposals",
            json={"commune_id": world.commune_ids[0], "year": YEAR},
            headers=helper,
        )
    ) == (403, "forbidden")


def test_capacity_and_hamlet_responsibility_hold_on_decisions(
    client: TestClient, world: World, plan: Plan
) -> None:
    officer = plan.officer
    full = client.put(
        f"/api/v1/support/officers/{plan.officer_ids[0]}",
        json={**officer_body(world), "capacity": 0},
        headers=officer,
    )
    assert full.status_code == 200, full.json()
    over = client.put(
        f"/api/v1/support/registrations/{plan.registration_id}/officers",
        json={"officer_ids": [plan.officer_ids[0]], "reason": "thử"},
        headers=officer,
    )
    assert _error(over) == (409, "over_capacity")
    elsewhere = client.put(
        f"/api/v1/support/officers/{plan.officer_ids[0]}",
        json={**officer_body(world), "hamlet_ids": [world.hamlets["B"].id]},
        headers=officer,
    )
    assert elsewhere.status_code == 200
    proposed = client.post(
        "/api/v1/support/proposals",
        json={"commune_id": world.commune_ids[0], "year": YEAR},
        headers=officer,
    ).json()
    assert [p["officer_id"] for p in proposed["picks"]] == [plan.officer_ids[1]]
    edit = client.post(
        f"/api/v1/support/proposals/{proposed['id']}/decision",
        json={
            "changes": [
                {"registration_id": plan.registration_id, "officer_ids": [plan.officer_ids[0]]}
            ]
        },
        headers=officer,
    )
    assert _error(edit) == (422, "officer_not_responsible")


def test_visits_plans_and_progress(
    client: TestClient, world: World, session: Session, plan: Plan
) -> None:
    officer = plan.officer
    helper = login(client, "helping_officer")
    unassigned = client.post("/api/v1/support/forms", json=visit_form(world), headers=helper)
    assert _error(unassigned) == (403, "out_of_scope")
    client.put(
        f"/api/v1/support/registrations/{plan.registration_id}/officers",
        json={"officer_ids": [plan.officer_ids[0]], "reason": "Phân công"},
        headers=officer,
    )
    action = client.post(
        f"/api/v1/support/registrations/{plan.registration_id}/actions",
        json={
            "action": "Vay vốn chăn nuôi bò",
            "help_type": "preferential_loan",
            "organisation": "womens_union",
            "officer_id": plan.officer_ids[0],
            "funding_source": "social_policy_bank_loan",
            "planned_date": "2023-04-01",
            "value_vnd": 50_000_000,
        },
        headers=officer,
    )
    assert action.status_code == 201, action.json()
    done_without_date = client.put(
        f"/api/v1/support/actions/{action.json()['id']}",
        json={"action": "Vay vốn", "funding_source": "social_policy_bank_loan", "status": "done"},
        headers=officer,
    )
    assert _error(done_without_date) == (422, "actual_date_required")
    commune, path = world.commune_ids[0], "/api/v1/support/communes/{}/years/{}/progress"
    before = client.get(path.format(commune, YEAR), headers=officer).json()
    assert before["total"] == {"registered": 1, "on_track": 0, "exited": 0, "total": 1}

    visit = client.post("/api/v1/support/forms", json=visit_form(world), headers=helper)
    assert visit.status_code == 201, visit.json()
    assert _audited(session, "visit")
    progress = client.get(path.format(commune, YEAR), headers=helper).json()
    assert progress["total"]["on_track"] == 1
    assert progress["by_officer"] == {
        str(plan.officer_ids[0]): {"registered": 0, "on_track": 1, "exited": 0, "total": 1}
    }
    assert progress["by_organisation"]["womens_union"]["on_track"] == 1
    (standing,) = progress["households"]
    assert standing["source"] == "standing_class"

    document = random_household(
        random.Random(8), "HH-A", date(2023, 11, 20), world.hamlets["A"].area, "not_poor"
    )
    surveyed = client.post(
        "/api/v1/surveys",
        json={
            "survey_uuid": str(uuid.uuid4()),
            "household_id": world.households["A"].id,
            "form_id": "rasoat.household/1",
            "form_version": 1,
            "answers": document,
        },
        headers=officer,
    )
    assert surveyed.status_code == 201, surveyed.json()
    after = client.get(path.format(commune, YEAR), headers=officer).json()
    (standing,) = after["households"]
    assert (standing["stage"], standing["predicted_class"], standing["source"]) == (
        "exited",
        "not_poor",
        "latest_survey",
    )
    assert after["by_hamlet"][str(world.hamlets["A"].id)]["exited"] == 1
    assert _error(client.get(path.format(world.commune_ids[2], YEAR), headers=officer)) == (
        403,
        "out_of_scope",
    )


def test_assignments_reach_the_officers_tablet(
    client: TestClient, world: World, plan: Plan
) -> None:
    helper = login(client, "helping_officer", "tablet-helper")

    def pulled() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = client.get(
                "/api/v1/sync/pull", params={"cursor": cursor} if cursor else {}, headers=helper
            ).json()
            items += [i for i in page["items"] if i["e"] == "support"]
            cursor = page["cursor"]
            if not page["more"]:
                return items

    first = pulled()
    assert [(i["k"], i["d"]["officers"]) for i in first] == [(str(plan.registration_id), [])]
    client.put(
        f"/api/v1/support/registrations/{plan.registration_id}/officers",
        json={"officer_ids": [plan.officer_ids[0]], "reason": "Phân công"},
        headers=plan.officer,
    )
    me = client.get("/api/v1/auth/me", headers=helper).json()
    (item,) = pulled()
    assert [o["user_id"] for o in item["d"]["officers"]] == [me["id"]]
    client.post(
        "/api/v1/support/registrations/status",
        json={"registration_ids": [plan.registration_id], "status": "withdrawn"},
        headers=plan.officer,
    )
    (gone,) = pulled()
    assert gone["d"] is None
    outsider = login(client, "enumerator_b", "tablet-enumerator-b")
    page = client.get("/api/v1/sync/pull", headers=outsider).json()
    assert [i for i in page["items"] if i["e"] == "support"] == []


def test_support_forms_arrive_by_sync_push(client: TestClient, world: World, plan: Plan) -> None:
    client.put(
        f"/api/v1/support/registrations/{plan.registration_id}/officers",
        json={"officer_ids": [plan.officer_ids[0]], "reason": "Phân công"},
        headers=plan.officer,
    )
    helper = login(client, "helping_officer", "push-helper")
    form = visit_form(world)
    record = {"kind": "survey", "id": form.pop("survey_uuid"), **form}
    pushed = client.post(
        "/api/v1/sync/push", json={"protocol": 1, "records": [record]}, headers=helper
    )
    assert pushed.status_code == 200, pushed.json()
    (outcome,) = pushed.json()["outcomes"]
    assert (outcome["status"], outcome["result"]) == (201, "applied")
    detail = client.get(
        f"/api/v1/support/registrations/{plan.registration_id}", headers=helper
    ).json()
    assert [v["photos"] for v in detail["visits"]] == [["ab" * 32]]
