"""Roles × scopes × endpoints: nobody reads or writes outside their scope.

The expectations below are written out independently of ``server.auth.policy`` (who sees which
hamlet, which roles may write what); every route of the API must appear in ``SCOPED`` or in
``UNSCOPED`` so a new endpoint cannot skip this test.
"""

from __future__ import annotations

import io
import random
import re
import uuid
import zipfile
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute, Mount

from server.auth.models import User
from server.demo.population import random_household
from server.jobs.worker import Worker
from tests.server.auth.conftest import HEADS, pdf_text
from tests.server.conftest import PASSWORD, World, login

HAMLETS = "ABCD"
COMMUNE_OF = {"A": 0, "B": 0, "C": 1, "D": 2}
COMMUNE_NAMES = {0: "Thị trấn Một", 1: "Xã Hai", 2: "Xã Ba"}
SEES = {
    "enumerator": "A",
    "hamlet_head": "A",
    "helping_officer": "A",
    "commune_officer": "AB",
    "commune_chair": "AB",
    "province_viewer": "ABC",
    "admin": "ABC",
}
HAMLET_ROLES = {"enumerator", "hamlet_head", "helping_officer"}
EDITORS = {"enumerator", "hamlet_head", "commune_officer"}
SURVEYORS = {"enumerator", "commune_officer"}
MAPPERS = {"admin"}
IMPORTERS = {"commune_officer"}
# Who reorganises a commune's hamlets (merge, rename), inside their scope.
MERGERS = {"commune_officer", "admin"}
SURVEYOR_OF = {"A": "commune_officer", "B": "commune_officer", "C": "officer_c2", "D": "officer_c3"}

SCOPED = {
    "GET /api/v1/households",
    "GET /api/v1/members",
    "GET /api/v1/hamlets",
    "GET /api/v1/communes",
    "GET /api/v1/households/{household_id}",
    "GET /api/v1/hamlets/{hamlet_id}",
    "GET /api/v1/communes/{commune_id}",
    "GET /api/v1/surveys/{survey_id}",
    # The deprecated paths of before the rename, answering through the 2027 review season.
    "GET /api/v1/submissions/{submission_id}",
    "POST /api/v1/submissions",
    "POST /api/v1/households",
    "POST /api/v1/surveys",
    "PUT /api/v1/hamlets/{hamlet_id}/boundary",
    "POST /api/v1/imports/households",
}
# Scoped too, with their own tests: users and devices (test_users.py, test_login.py), and
# disabling, enabling, resetting and signing out users (test_accounts.py).
UNSCOPED = {
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/logout",
    "GET /api/v1/auth/me",
    "POST /api/v1/classify",
    # Score tables hold points, no personal data: every signed-in user may list them.
    "GET /api/v1/score-tables",
    "GET /api/v1/audit/verify",
    "GET /health",
    "GET /api/v1/users",
    "POST /api/v1/users",
    "POST /api/v1/users/{user_id}/disable",
    "POST /api/v1/users/{user_id}/enable",
    "PUT /api/v1/users/{user_id}/password",
    "POST /api/v1/users/{user_id}/end-sessions",
    "GET /api/v1/devices",
    "POST /api/v1/devices/{device_id}/revoke",
}
# Scoped by the working set and the policy, with their own tests (tests/server/sync).
SYNC = {
    "GET /api/v1/sync/pull",
    "POST /api/v1/sync/push",
    "GET /api/v1/sync/photos/{sha256}",
    "PUT /api/v1/sync/photos/{sha256}",
    "GET /api/v1/sync/photos/{sha256}/thumbnail",
    "GET /api/v1/sync/conflicts",
    "POST /api/v1/sync/conflicts/{conflict_id}/resolve",
}
# The review round, with its own tests (tests/server/review).
REVIEW = {
    "GET /api/v1/review/rounds",
    "POST /api/v1/review/rounds",
    "GET /api/v1/review/rounds/{round_id}",
    "POST /api/v1/review/rounds/{round_id}/cases",
    "POST /api/v1/review/rounds/{round_id}/collect",
    "GET /api/v1/review/rounds/{round_id}/queue",
    "POST /api/v1/review/rounds/{round_id}/meetings",
    "POST /api/v1/review/rounds/{round_id}/postings",
    "POST /api/v1/review/rounds/{round_id}/recognition",
    "POST /api/v1/review/rounds/{round_id}/certificates",
    "GET /api/v1/review/rounds/{round_id}/documents/posting",
    "GET /api/v1/review/rounds/{round_id}/documents/decision",
    "GET /api/v1/review/rounds/{round_id}/documents/certificates",
    "GET /api/v1/review/cases",
    "GET /api/v1/review/cases/{case_id}",
    "GET /api/v1/review/cases/{case_id}/documents/application",
    "POST /api/v1/review/cases/{case_id}/survey",
    "POST /api/v1/review/cases/{case_id}/income",
    "POST /api/v1/review/cases/{case_id}/score",
    "POST /api/v1/review/cases/{case_id}/start-review",
    "POST /api/v1/review/cases/{case_id}/accept",
    "POST /api/v1/review/cases/{case_id}/return",
    "POST /api/v1/review/cases/{case_id}/override",
    "POST /api/v1/review/cases/{case_id}/withdraw",
    "POST /api/v1/review/cases/{case_id}/complaints",
    "POST /api/v1/review/complaints/{complaint_id}/recheck",
    "GET /api/v1/review/meetings/{meeting_id}",
    "POST /api/v1/review/meetings/{meeting_id}/votes",
    "PUT /api/v1/review/meetings/{meeting_id}/minutes-photo",
    "GET /api/v1/review/meetings/{meeting_id}/minutes",
}
# Exiting poverty (tests/server/support): every guard (commune, hamlet, registration, the
# officer's own assignments) is checked per role and scope in test_api.py; the suggested plan
# (a household's exit path) in test_suggested_plan_only_in_scope below.
SUPPORT = {
    "GET /api/v1/support/officers",
    "POST /api/v1/support/officers",
    "PUT /api/v1/support/officers/{officer_id}",
    "GET /api/v1/support/registrations",
    "POST /api/v1/support/registrations",
    "POST /api/v1/support/forms",
    "POST /api/v1/support/registrations/status",
    "GET /api/v1/support/registrations/{registration_id}",
    "GET /api/v1/support/registrations/{registration_id}/suggested-plan",
    "PUT /api/v1/support/registrations/{registration_id}/officers",
    "POST /api/v1/support/registrations/{registration_id}/actions",
    "PUT /api/v1/support/actions/{action_id}",
    "PUT /api/v1/support/hamlets/{hamlet_id}/targets/{year}",
    "GET /api/v1/support/communes/{commune_id}/years/{year}/hamlets",
    "POST /api/v1/support/proposals",
    "GET /api/v1/support/proposals/{proposal_id}",
    "POST /api/v1/support/proposals/{proposal_id}/decision",
    "GET /api/v1/support/communes/{commune_id}/years/{year}/progress",
}
# The reports (tests/server/reports/test_api.py): commune reports per role and commune, the
# roll-up per province.
REPORTS = {
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/hamlet-table",
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/deprivations",
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/targets",
    "PUT /api/v1/reports/communes/{commune_id}/years/{year}/targets",
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/lists",
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/gap",
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/bundles/{kind}",
    "GET /api/v1/reports/provinces/{province_id}/years/{year}/rollup",
    # Checked below (test_report_papers_only_in_scope).
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/appendix-vii",
    "GET /api/v1/reports/communes/{commune_id}/years/{year}/helping-officers",
}
# Background jobs (tests/server/jobs): started within the scope of what they make, read back only
# by their starter (test_jobs_and_their_files_only_in_scope below).
JOBS = {
    "POST /api/v1/jobs/report-bundles",
    "POST /api/v1/jobs/paper-batches",
    "POST /api/v1/jobs/household-imports",
    "GET /api/v1/jobs/{job_id}",
    "GET /api/v1/jobs/{job_id}/result",
}
REPORT_READERS = {"commune_officer", "commune_chair", "province_viewer"}
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[105.6, 20.0], [105.61, 20.0], [105.61, 20.01], [105.6, 20.01], [105.6, 20.0]]
    ],
}


# The web console (server/console): HTML pages and form posts over the same services, out of
# the OpenAPI schema. Sign-in, sign-out, the language and the static files hold no data; the
# rest is checked per role below (test_console_shows_only_the_scope).
CONSOLE = {
    "GET /",
    "POST /signin",
    "POST /signout",
    "POST /lang",
    "MOUNT /static",
    "GET /home",
    "POST /rounds",
    "GET /rounds/{round_id}",
    "GET /rounds/{round_id}/queue",
    "POST /rounds/{round_id}/accept",
    "POST /rounds/{round_id}/collect",
    "POST /rounds/{round_id}/postings",
    "POST /rounds/{round_id}/recognition",
    "POST /rounds/{round_id}/certificates",
    "GET /rounds/{round_id}/papers/posting",
    "GET /rounds/{round_id}/papers/decision",
    "GET /rounds/{round_id}/papers/certificates",
    "GET /meetings/{meeting_id}/minutes",
    "GET /cases/{case_id}",
    "POST /cases/{case_id}/accept",
    "POST /cases/{case_id}/return",
    "POST /cases/{case_id}/override",
    "GET /photos/{sha256}/thumbnail",
    "GET /map",
    "GET /map/data",
    "GET /reports",
    "GET /reports/bundles/{kind}",
    "GET /reports/gap",
    "GET /photos",
    "GET /people",
    "POST /people/{user_id}/active",
    "POST /people/{user_id}/password",
    "POST /people/{user_id}/end-sessions",
    "GET /province",
    "POST /rounds/{round_id}/signoff",
    "POST /rounds/{round_id}/reopen",
    "POST /people",
    "POST /people/{user_id}/hamlets",
    # Appendix VII's forms and the helping-officer list, over the reports' services
    # (test_report_papers_only_in_scope).
    "GET /reports/appendix-vii",
    "GET /reports/helping-officers",
    "GET /jobs/panel",
    "GET /jobs/{job_id}/file",
    "POST /reports/bundles/{kind}/jobs",
    "POST /rounds/{round_id}/papers/jobs",
    "GET /hamlets/merge",
    "POST /hamlets/merge/preview",
    "POST /hamlets/merge",
    # The household import's upload page (test_console_import_only_into_the_commune_one_runs).
    "GET /imports",
    "GET /imports/template",
    "POST /imports/preview",
    "POST /imports/commit",
}
# The household self-check (server/selfcheck): public by design, no sign-in. It shows no stored
# data (the answers travel in the form) and writes only the application a household sends with
# its consent (tests/selfcheck/test_send.py).
SELFCHECK = {
    "GET /tu-danh-gia",
    "POST /tu-danh-gia",
    "POST /tu-danh-gia/giay-de-nghi",
    "POST /tu-danh-gia/gui",
}
# FastAPI's own pages: the schema and its viewer, no data.
SCHEMA = {"GET /openapi.json", "GET /docs", "GET /docs/oauth2-redirect"}


def every_route(routes: list[BaseRoute]) -> set[str]:
    """Return "METHOD path" of every route the app answers, those left out of the OpenAPI
    schema (pages, documents) included, and "MOUNT path" of every mounted app."""
    found: set[str] = set()
    for route in routes:
        # FastAPI keeps an included router as one route that lists the ones it holds.
        included = getattr(route, "effective_route_contexts", None)
        if included is not None:
            found |= every_route(list(included()))
        elif isinstance(route, Mount):
            found.add(f"MOUNT {route.path}")
        else:
            path, methods = getattr(route, "path", "?"), getattr(route, "methods", None) or ()
            found |= {f"{m} {path}" for m in methods if m != "HEAD"}
    return found


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    matrix = SCOPED | UNSCOPED | SYNC | REVIEW | SUPPORT | REPORTS | JOBS
    assert every_route(app.routes) == matrix | SCHEMA | CONSOLE | SELFCHECK
    documented = {
        f"{method.upper()} {path}"
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert documented <= matrix


def _survey(world: World, hamlet: str) -> dict[str, Any]:
    area = world.hamlets[hamlet].area
    document = random_household(random.Random(hamlet), f"HH-{hamlet}", date(2023, 12, 1), area)
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": world.households[hamlet].id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": document,
    }


def _old_survey(world: World, hamlet: str) -> dict[str, Any]:
    """Return a survey as a tablet installed before the rename sends it."""
    body = _survey(world, hamlet)
    body["submission_id"] = body.pop("survey_uuid")
    return body


def _expect(allowed_role: bool, sees: bool, success: int) -> tuple[int, str | None]:
    if not allowed_role:
        return 403, "forbidden"
    return (success, None) if sees else (403, "out_of_scope")


@pytest.mark.parametrize("role", sorted(SEES))
def test_role_sees_and_changes_only_its_scope(client: TestClient, world: World, role: str) -> None:
    surveys = {}
    for hamlet in HAMLETS:
        surveyor = login(client, SURVEYOR_OF[hamlet], f"matrix-{hamlet}")
        made = client.post("/api/v1/surveys", json=_survey(world, hamlet), headers=surveyor)
        assert made.status_code == 201, made.json()
        surveys[hamlet] = made.json()["id"]
    me = login(client, role, "matrix-me")
    visible = set(SEES[role])
    codes = {f"HH-{h}" for h in visible}

    def get(path: str, **params: Any) -> Any:
        response = client.get(path, params=params, headers=me)
        assert response.status_code == 200, (path, response.json())
        return response.json()

    assert {i["code"] for i in get("/api/v1/households")["items"]} == codes
    assert {i["household_code"] for i in get("/api/v1/members")["items"]} == codes
    assert {h["code"] for h in get("/api/v1/hamlets")} == {world.hamlets[h].code for h in visible}
    assert {c["id"] for c in get("/api/v1/communes")} == {
        world.commune_ids[COMMUNE_OF[h]] for h in visible
    }
    for hamlet in HAMLETS:
        sees = hamlet in visible
        ids = {"hamlet": world.hamlets[hamlet].id, "household": world.households[hamlet].id}
        listed = get("/api/v1/households", hamlet_id=ids["hamlet"])
        assert listed["total"] == (1 if sees else 0)
        listed = get("/api/v1/members", hamlet_id=ids["hamlet"])
        assert (listed["total"] > 0) == sees
        commune_visible = any(COMMUNE_OF[h] == COMMUNE_OF[hamlet] for h in visible)
        checks = [
            ("GET", f"/api/v1/households/{ids['household']}", None, _expect(True, sees, 200)),
            ("GET", f"/api/v1/hamlets/{ids['hamlet']}", None, _expect(True, sees, 200)),
            (
                "GET",
                f"/api/v1/communes/{world.commune_ids[COMMUNE_OF[hamlet]]}",
                None,
                _expect(True, commune_visible, 200),
            ),
            ("GET", f"/api/v1/surveys/{surveys[hamlet]}", None, _expect(True, sees, 200)),
            ("GET", f"/api/v1/submissions/{surveys[hamlet]}", None, _expect(True, sees, 200)),
            (
                "POST",
                "/api/v1/households",
                {"hamlet_id": ids["hamlet"], "code": f"NEW-{role}-{hamlet}", "head_name": "Mới"},
                _expect(role in EDITORS, sees, 201),
            ),
            (
                "POST",
                "/api/v1/surveys",
                _survey(world, hamlet),
                _expect(role in SURVEYORS, sees, 201),
            ),
            (
                "POST",
                "/api/v1/submissions",
                _old_survey(world, hamlet),
                _expect(role in SURVEYORS, sees, 201),
            ),
            (
                "PUT",
                f"/api/v1/hamlets/{ids['hamlet']}/boundary",
                {"geometry": SQUARE},
                _expect(role in MAPPERS, sees, 200),
            ),
        ]
        for method, path, body, (status, error) in checks:
            response = client.request(method, path, json=body, headers=me)
            outcome = (response.status_code, response.json().get("error"))
            assert outcome == (status, error), (role, hamlet, method, path, response.json())


@pytest.mark.parametrize("role", sorted(SEES))
def test_lists_and_papers_hold_only_the_households_in_scope(
    client: TestClient, world: World, certified: tuple[int, dict[str, int]], role: str
) -> None:
    """Beyond the status: what a list or a paper of commune 1 shows is what the role sees."""
    round_id, cases = certified
    me = login(client, role, "matrix-papers")
    visible = {h for h in SEES[role] if h in HEADS}
    listed = client.get("/api/v1/review/cases", params={"round_id": round_id}, headers=me)
    assert listed.status_code == 200, listed.json()
    assert {c["id"] for c in listed.json()} == {cases[h] for h in visible}
    queue = client.get(f"/api/v1/review/rounds/{round_id}/queue", headers=me)
    assert queue.status_code == 200, queue.json()
    assert {c["household_code"] for c in queue.json()} <= {f"HH-{h}" for h in visible}
    paper = client.get(f"/api/v1/review/rounds/{round_id}/documents/certificates", headers=me)
    assert paper.status_code == 200, paper.text[:300]
    text = pdf_text(paper.content)
    assert {h for h, name in HEADS.items() if name in text} == visible


def _csrf(browser: TestClient) -> str:
    """Return the CSRF token the signed-in session's forms carry."""
    token = re.search(r'name="csrf" value="([^"]+)"', browser.get("/home").text)
    assert token is not None
    return token.group(1)


def _console(app: FastAPI, username: str) -> TestClient:
    """Return a browser-like client signed in to the console as ``username``."""
    browser = TestClient(app)
    form = browser.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None, form.text[:300]
    signed = browser.post(
        "/signin",
        data={"username": username, "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]
    return browser


@pytest.mark.parametrize("role", sorted(SEES))
def test_console_shows_only_the_scope(
    app: FastAPI,
    world: World,
    certified: tuple[int, dict[str, int]],
    session: Session,
    role: str,
) -> None:
    """The console's pages and papers show a role what the API shows it, and no more; its
    form posts refuse what the role may not do."""
    round_id, cases = certified
    browser = _console(app, role)
    visible = {h for h in SEES[role] if h in HEADS}
    names = {h: world.hamlets[h].name for h in HEADS}

    home = browser.get("/home")
    assert home.status_code == 200
    assert {h for h, name in names.items() if name in home.text} == visible
    queue = browser.get(f"/rounds/{round_id}/queue", params={"state": "certified"})
    assert queue.status_code == 200
    assert {h for h in HEADS if f"HH-{h}<" in queue.text} == visible
    tracker = browser.get(f"/rounds/{round_id}")
    assert tracker.status_code == 200
    assert {h for h, name in names.items() if name in tracker.text} == visible
    for hamlet, case_id in cases.items():
        page = browser.get(f"/cases/{case_id}")
        assert page.status_code == (200 if hamlet in visible else 403), (hamlet, page.text[:300])
        assert (HEADS[hamlet] in page.text) == (hamlet in visible)
    for number, household in enumerate(world.households.values()):
        household.latitude, household.longitude = 20.0 + number / 100, 105.6
    session.commit()
    points = browser.get("/map/data").json()["households"]["features"]
    assert {p["properties"]["code"] for p in points} == {f"HH-{h}" for h in SEES[role]}
    people = browser.get("/people")
    assert people.status_code == (200 if role == "admin" else 403), people.text[:300]
    if role == "admin":
        assert "officer_c2" in people.text
        assert "admin_p2" not in people.text
    # Accounts are made and hamlets given only by an administrator, only inside their scope.
    enumerator_b = session.scalars(select(User).where(User.username == "enumerator_b")).one()
    for hamlet in "CD":
        made = browser.post(
            "/people",
            data={
                "csrf": _csrf(browser),
                "username": f"new_{hamlet.lower()}_{role}",
                "full_name": "Người Mới",
                "password": PASSWORD,
                "role": "enumerator",
                "hamlet_ids": [str(world.hamlets[hamlet].id)],
            },
            follow_redirects=False,
        )
        given = browser.post(
            f"/people/{enumerator_b.id}/hamlets",
            data={"csrf": _csrf(browser), "hamlet_ids": [str(world.hamlets[hamlet].id)]},
            follow_redirects=False,
        )
        allowed = role == "admin" and hamlet in SEES[role]
        for answer in (made, given):
            flash = answer.cookies.get("rasoat_flash", "")
            assert flash.startswith("ok" if allowed else "error"), (hamlet, flash)
        session.expire_all()
        assert ({h.hamlet_id for h in enumerator_b.hamlets} == {world.hamlets[hamlet].id}) == (
            allowed
        )
    gallery = browser.get("/photos")
    assert gallery.status_code == 200
    assert {h for h, name in names.items() if name in gallery.text} <= visible
    # Reports are a commune's: every hamlet of commune 1 for those who read reports.
    reports = browser.get("/reports", params={"year": 2023, "commune_id": world.commune_ids[0]})
    readers = {"commune_officer", "commune_chair", "province_viewer"}
    assert reports.status_code == (200 if role in readers else 403), reports.text[:300]
    assert all((name in reports.text) == (role in readers) for name in names.values())
    # The gap to the targets as a workbook: the same readers, every hamlet of commune 1.
    workbook = browser.get(
        "/reports/gap", params={"year": 2023, "commune_id": world.commune_ids[0]}
    )
    assert workbook.status_code == (200 if role in readers else 403), workbook.text[:300]
    if role in readers:
        areas = load_workbook(io.BytesIO(workbook.content)).active
        assert areas is not None
        assert [row[0].value for row in areas.iter_rows(min_row=4)] == ["KP1", "KP2"]
    paper = browser.get(f"/rounds/{round_id}/papers/certificates")
    assert paper.status_code == 200, paper.text[:300]
    assert {h for h, name in HEADS.items() if name in pdf_text(paper.content)} == visible
    # The province's roll-up: its communes for those who read the province's reports; a
    # commune of the scope drills down to its hamlets, one outside it is refused.
    province = browser.get("/province", params={"year": 2023})
    assert province.status_code == (200 if role == "province_viewer" else 403), province.text[:300]
    shown = {c for c, name in COMMUNE_NAMES.items() if name in province.text}
    assert shown == ({0, 1} if role == "province_viewer" else set())
    for commune, commune_id in enumerate(world.commune_ids):
        drilled = browser.get("/home", params={"commune_id": commune_id})
        inside = commune in {COMMUNE_OF[h] for h in SEES[role]}
        assert drilled.status_code == (200 if inside else 403), (commune, drilled.text[:300])
        in_commune = {h for h in visible if COMMUNE_OF[h] == commune}
        assert {h for h, name in names.items() if name in drilled.text} == (
            in_commune if inside else set()
        )
    # Only the province signs a round off and reopens it.
    for action in ("signoff", "reopen"):
        posted = browser.post(
            f"/rounds/{round_id}/{action}",
            data={"csrf": _csrf(browser), "back": "/province"},
            follow_redirects=False,
        )
        assert posted.status_code == 303
        flash = posted.cookies.get("rasoat_flash", "")
        assert flash.startswith("ok" if role == "province_viewer" else "error"), (action, flash)

    # A post without the session's CSRF token is refused whoever sends it.
    forged = browser.post(
        f"/cases/{cases['A']}/accept", data={"csrf": "forged"}, follow_redirects=False
    )
    assert (forged.status_code, forged.headers["location"]) == (303, f"/cases/{cases['A']}")
    assert "error" in forged.cookies.get("rasoat_flash", "")
    # Signed out, a page sends the browser to sign in.
    anonymous = TestClient(app).get("/home", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/?next=/home")


@pytest.mark.parametrize("role", sorted(SEES))
def test_household_import_only_into_the_commune_one_runs(
    client: TestClient, world: World, role: str
) -> None:
    me = login(client, role, "matrix-import")
    listed = "Mã hộ,Thôn,Họ tên chủ hộ\r\nIMP-1,KP1,Lê Văn Một\r\n".encode()
    for commune in (0, 1):
        response = client.post(
            "/api/v1/imports/households",
            data={"commune_id": str(world.commune_ids[commune]), "commit": "true"},
            files={"file": ("ds.csv", listed, "text/csv")},
            headers=me,
        )
        # Only commune 1's officer imports, and only into commune 1.
        status, error = _expect(role in IMPORTERS, commune == 0, 200)
        outcome = (response.status_code, response.json().get("error"))
        assert outcome == (status, error), (role, commune, response.json())


@pytest.mark.parametrize("role", sorted(SEES))
def test_report_papers_only_in_scope(client: TestClient, world: World, role: str) -> None:
    me = login(client, role, "matrix-papers")
    readers = {"commune_officer", "commune_chair", "province_viewer"}
    for commune in (0, 1):
        base = f"/api/v1/reports/communes/{world.commune_ids[commune]}/years/2023"
        # Appendix VII's forms: the commune's report, for those who read reports.
        forms = client.get(f"{base}/appendix-vii", headers=me)
        inside = commune in {COMMUNE_OF[h] for h in SEES[role]}
        status, error = _expect(role in readers, inside, 200)
        outcome = (forms.status_code, None if forms.status_code == 200 else forms.json()["error"])
        assert outcome == (status, error), (role, commune)
        # Seed 002's helping-officer list: anyone, for the hamlets of their scope.
        helping = client.get(f"{base}/helping-officers", headers=me)
        status, error = _expect(True, inside, 200)
        found = helping.json()["error"] if helping.status_code != 200 else None
        assert (helping.status_code, found) == (status, error), (role, commune)


@pytest.mark.parametrize("role", sorted(SEES))
def test_console_report_papers_only_in_scope(app: FastAPI, world: World, role: str) -> None:
    browser = _console(app, role)
    readers = {"commune_officer", "commune_chair", "province_viewer"}
    for commune in (0, 1):
        inside = commune in {COMMUNE_OF[h] for h in SEES[role]}
        asked = {"year": 2023, "commune_id": world.commune_ids[commune]}
        forms = browser.get("/reports/appendix-vii", params=asked)
        assert forms.status_code == (200 if role in readers and inside else 403), (role, commune)
        helping = browser.get("/reports/helping-officers", params={**asked, "format": "pdf"})
        assert helping.status_code == (200 if inside else 403), (role, commune)


@pytest.mark.parametrize("role", sorted(SEES))
def test_console_import_only_into_the_commune_one_runs(
    app: FastAPI, world: World, role: str
) -> None:
    browser = _console(app, role)
    page = browser.get("/imports")
    assert page.status_code == (200 if role in IMPORTERS else 403), page.text[:300]
    listed = "Mã hộ,Thôn,Họ tên chủ hộ\r\nIMP-1,KP1,Lê Văn Một\r\n".encode()
    for commune in (0, 1):
        fields = {"csrf": _csrf(browser), "back": "/imports", "year": "2023"}
        fields["commune_id"] = str(world.commune_ids[commune])
        for step in ("preview", "commit"):
            if step == "commit":
                fields["sha256"] = "0" * 64
            posted = browser.post(
                f"/imports/{step}",
                data=fields,
                files={"file": ("ds.csv", listed, "text/csv")},
                follow_redirects=False,
            )
            # Only commune 1's officer previews, and only commune 1; a commit of another file
            # than the one previewed is refused to everyone.
            if step == "preview" and role in IMPORTERS and commune == 0:
                assert posted.status_code == 200, posted.text[:300]
                assert "IMP-1" in posted.text
            else:
                assert posted.status_code == 303, (role, commune, step)
                assert posted.cookies.get("rasoat_flash", "").startswith("error"), (role, step)


@pytest.mark.parametrize("role", sorted(SEES))
def test_jobs_and_their_files_only_in_scope(
    app: FastAPI, client: TestClient, world: World, certified: tuple[int, dict[str, int]], role: str
) -> None:
    """A job is started only where its role may read what it makes; its papers hold only the
    hamlets in scope; its status and file are its starter's alone, in the API and the
    console alike."""
    round_id, _ = certified
    commune = world.commune_ids[0]
    me = login(client, role, "matrix-jobs")
    started = {}
    bundle = client.post(
        "/api/v1/jobs/report-bundles",
        json={"commune_id": commune, "year": 2023, "kind": "annual"},
        headers=me,
    )
    outcome = (bundle.status_code, bundle.json().get("error"))
    assert outcome == _expect(role in REPORT_READERS, True, 202), bundle.json()
    for hamlet in (*HEADS, None):
        body = {"round_id": round_id, "hamlet_id": world.hamlets[hamlet].id if hamlet else None}
        batch = client.post("/api/v1/jobs/paper-batches", json=body, headers=me)
        sees = hamlet in SEES[role] if hamlet else role not in HAMLET_ROLES
        outcome = (batch.status_code, batch.json().get("error"))
        assert outcome == _expect(True, sees, 202), (hamlet, batch.json())
        if batch.status_code == 202:
            started[hamlet] = batch.json()["id"]
    theirs = login(client, "commune_officer", "matrix-jobs-officer")
    officers = client.post(
        "/api/v1/jobs/paper-batches",
        json={"round_id": round_id, "hamlet_id": world.hamlets["A"].id},
        headers=theirs,
    ).json()["id"]
    Worker(app.state.session_factory, heartbeat=False).run_until_empty()

    visible = {h for h in SEES[role] if h in HEADS}
    for hamlet, job_id in started.items():
        job = client.get(f"/api/v1/jobs/{job_id}", headers=me).json()
        assert job["state"] == "done", job
        archive = client.get(job["download"], headers=me)
        papers = zipfile.ZipFile(io.BytesIO(archive.content))
        folders = {name.split("/")[0] for name in papers.namelist() if "/" in name}
        codes = {world.hamlets[h].code: h for h in HEADS}
        assert {codes[f] for f in folders} == ({hamlet} if hamlet else visible)
        for name in papers.namelist():
            if name.endswith("giay-chung-nhan.pdf"):
                text = pdf_text(papers.read(name))
                assert {h for h, head in HEADS.items() if head in text} == {
                    codes[name.split("/")[0]]
                }
    mine = role == "commune_officer"
    found = client.get(f"/api/v1/jobs/{officers}", headers=me)
    assert found.status_code == (200 if mine else 404), found.json()
    file = client.get(f"/api/v1/jobs/{officers}/result", headers=me)
    assert file.status_code == (200 if mine else 404)

    browser = _console(app, role)
    assert browser.get(f"/jobs/{officers}/file").status_code == (200 if mine else 404)
    panel = browser.get("/jobs/panel", params={"kind": "paper_batch", "commune_id": commune})
    assert panel.status_code == 200
    assert panel.text.count("<progress") == len(started) + (1 if mine else 0)
    posted = browser.post(
        "/reports/bundles/annual/jobs",
        data={"csrf": _csrf(browser), "year": "2023", "commune_id": str(commune)},
        follow_redirects=False,
    )
    flash = posted.cookies.get("rasoat_flash", "")
    assert flash.startswith("ok" if role in REPORT_READERS else "error"), flash
    posted = browser.post(
        f"/rounds/{round_id}/papers/jobs",
        data={"csrf": _csrf(browser), "hamlet_id": str(world.hamlets["B"].id)},
        follow_redirects=False,
    )
    flash = posted.cookies.get("rasoat_flash", "")
    assert flash.startswith("ok" if "B" in SEES[role] else "error"), flash


@pytest.mark.parametrize("role", sorted(SEES))
def test_suggested_plan_only_in_scope(client: TestClient, world: World, role: str) -> None:
    """A registration's suggested plan (its household's exit path) is read only inside the
    scope, and what is read is that household's."""
    registrations = {}
    for hamlet, registrar in (("A", "commune_officer"), ("C", "officer_c2")):
        made = client.post(
            "/api/v1/support/registrations",
            json={
                "household_id": world.households[hamlet].id,
                "year": 2023,
                "causes": [],
                "needs": [{"help_type": "health_insurance"}],
                "target_date": "2023-10-01",
            },
            headers=login(client, registrar, f"plan-dev-{hamlet}"),
        )
        assert made.status_code == 201, made.json()
        registrations[hamlet] = made.json()["id"]
    headers = login(client, role)
    for hamlet, registration_id in registrations.items():
        found = client.get(
            f"/api/v1/support/registrations/{registration_id}/suggested-plan", headers=headers
        )
        body = found.json()
        assert (found.status_code, body.get("error")) == _expect(True, hamlet in SEES[role], 200)
        if found.status_code == 200:
            assert body["household_id"] == world.households[hamlet].id
            assert body["class"] in ("poor", "near_poor")
            assert body["source"] == "standing_class"


@pytest.mark.parametrize(
    "path",
    [
        "/rounds/{round_id}/papers/certificates?case_id=9223372036854775808",
        "/rounds/{round_id}/papers/posting?hamlet_id=9223372036854775808",
        "/rounds/{round_id}/papers/posting?posting_id=9223372036854775808",
    ],
)
def test_console_ids_beyond_the_integer_range_are_refused(
    app: FastAPI, certified: tuple[int, dict[str, int]], path: str
) -> None:
    """A page's id beyond any record is a refusal, not a database error (a 500 on
    PostgreSQL, whose INTEGER ends at 2^31 - 1)."""
    round_id, _ = certified
    browser = _console(app, "commune_officer")
    assert browser.get(path.format(round_id=round_id)).status_code == 422
    queue = browser.get(f"/rounds/{round_id}/queue", params={"hamlet_id": "99999999999"})
    assert queue.status_code == 200


@pytest.mark.parametrize("role", [*sorted(SEES), "officer_c2"])
def test_hamlet_merges_only_by_commune_officers_of_the_commune(
    app: FastAPI, world: World, session: Session, role: str
) -> None:
    """Only a commune officer (or an administrator) of the hamlets' commune sees the hamlets
    page, previews a merge and makes it; a hamlet head of hamlet A may not."""
    browser = _console(app, role)
    allowed = role in MERGERS
    listed = browser.get("/hamlets/merge")
    # Commune 2's officer has the page, with commune 2's hamlets only.
    assert listed.status_code == (200 if allowed or role == "officer_c2" else 403)
    assert (world.hamlets["A"].name in listed.text) == allowed
    form = {
        "csrf": _csrf(browser),
        "back": "/hamlets/merge",
        "hamlet_ids": [str(world.hamlets["A"].id), str(world.hamlets["B"].id)],
        "name": "Khu phố Mới",
        "effective_on": "01/01/2026",
    }
    seen = browser.post("/hamlets/merge/preview", data=form, follow_redirects=False)
    assert seen.status_code == (200 if allowed else 303), seen.text[:300]
    made = browser.post("/hamlets/merge", data=form, follow_redirects=False)
    flash = made.cookies.get("rasoat_flash", "")
    assert flash.startswith("ok" if allowed else "error"), flash
    session.expire_all()
    assert (world.hamlets["A"].retired_on is not None) == allowed
