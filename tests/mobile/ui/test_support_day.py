"""The hamlet head's and the helping officer's days on the real app against the real server app
over HTTP (uvicorn on a loopback port): the hamlet head registers a poor household to exit
poverty with the help it needs and records the hamlet meeting's vote on the accepted case; the
commune confirms the registration and assigns the helping officer, who records a visit with a
photo. The server holds what each tablet sent."""

from __future__ import annotations

import random
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui

OFFICER, HEAD, HELPER = "canboxa", "truongthon", "phutrach"
SECRET = "mat-khau-ho-tro-1"
CODE = "VL-KP2-0017"


def _signed_in(http: httpx.Client, username: str, password: str) -> None:
    token = http.post(
        "/auth/login",
        json={"username": username, "password": password, "device_id": f"office-{username}"},
    ).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"


def test_a_hamlet_heads_and_a_helping_officers_day_reach_the_server(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    # The server loads only when this test runs, not whenever tests/mobile is collected.
    from sqlalchemy import select

    from server.audit.service import SYSTEM
    from server.auth.policy import Role, Scope, ScopeKind
    from server.auth.service import create_user
    from server.demo.population import random_household
    from server.geography.models import Hamlet
    from server.households.models import Household
    from server.households.service import record_classification
    from server.review.models import Meeting, Vote
    from server.support.models import ExitRegistration, Visit
    from shared.engine import classify, parse_household
    from tests.contract.tablet_world import (
        HAMLET,
        PASSWORD,
        USERNAME,
        serve,
        signed_in_tablet,
    )

    today = date.today()
    rng = random.Random(17)
    with serve(tmp_path) as served:
        with served.sessions() as session:
            hamlet = session.scalars(select(Hamlet).where(Hamlet.name == HAMLET)).one()
            household = session.scalars(select(Household).where(Household.code == CODE)).one()
            last_year = random_household(
                rng, CODE, date(today.year - 1, 12, 15), hamlet.area, "poor"
            )
            record_classification(
                session,
                SYSTEM,
                household,
                classify(parse_household(last_year)),
                today.year - 1,
                "import",
            )
            in_hamlet = Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlet.id}))
            for username, name, role, scope in (
                (HEAD, "Hoàng Văn Lực", Role.HAMLET_HEAD, in_hamlet),
                (HELPER, "Lê Thị Hoa", Role.HELPING_OFFICER, in_hamlet),
                (
                    OFFICER,
                    "Đặng Thu Hạnh",
                    Role.COMMUNE_OFFICER,
                    Scope(ScopeKind.COMMUNE, commune_id=hamlet.commune_id),
                ),
            ):
                create_user(session, served.security, SYSTEM, username, name, SECRET, role, scope)
            commune_id, hamlet_id, household_id = hamlet.commune_id, hamlet.id, household.id
            area = hamlet.area
            session.commit()

        # This year's survey is in and the commune accepts the case: it goes to the meeting.
        api = f"{served.url}/api/v1"
        with httpx.Client(base_url=api, timeout=10) as enumerator:
            _signed_in(enumerator, USERNAME, PASSWORD)
            surveyed = enumerator.post(
                "/surveys",
                json={
                    "survey_uuid": str(uuid.uuid4()),
                    "household_id": household_id,
                    "form_id": "rasoat.household/1",
                    "form_version": 1,
                    "answers": random_household(rng, CODE, today, area, "poor"),
                },
            )
            assert surveyed.status_code == 201, surveyed.text
        with httpx.Client(base_url=api, timeout=10) as officer:
            _signed_in(officer, OFFICER, SECRET)
            round_ = officer.post(
                "/review/rounds", json={"commune_id": commune_id, "year": today.year}
            )
            assert round_.status_code == 201, round_.text
            rid = round_.json()["id"]
            assert officer.post(f"/review/rounds/{rid}/collect").status_code == 200
            (case,) = officer.get(f"/review/rounds/{rid}/queue").json()
            accepted = officer.post(f"/review/cases/{case['id']}/accept")
            assert accepted.status_code == 200, accepted.text

        def run(username: str, phase: str) -> tuple[int, dict[str, object]]:
            tablet = signed_in_tablet(tmp_path / username, served.url, username, SECRET)
            tablet.http().close()
            tablet.db.close()
            return drive(
                x_display,
                "support_day",
                tablet.data_dir,
                shots / f"support-day-{phase}",
                extra_env={
                    "RASOAT_UI_USER": username,
                    "RASOAT_UI_SECRET": SECRET,
                    "RASOAT_UI_PHASE": phase,
                },
                timeout=180,
            )

        code, head = run(HEAD, "head")
        assert code == 0
        assert head["registrable"] == ["none"]
        assert head["registration_prefilled"] == [CODE, "poor"]
        assert head["registration_errors"] == []
        assert head["registered"] == ["registered"]
        assert head["verdict"] == "đạt (≥ 50%)"
        assert head["meeting_message"] == "Đã ghi biên bản: 1/1 hộ được thông qua."
        with served.sessions() as session:
            registration = session.scalars(select(ExitRegistration)).one()
            meeting = session.scalars(select(Meeting)).one()
            vote = session.scalars(select(Vote)).one()
        assert registration.household_id == household_id
        assert registration.year == today.year
        assert registration.causes == ["lack_capital"]
        assert [n["help_type"] for n in registration.needs] == ["preferential_loan"]
        assert (meeting.hamlet_id, meeting.held_on) == (hamlet_id, today)
        assert (meeting.chair_name, meeting.front_supervisor) == ("Hoàng Văn Lực", "Lò Thị Hạnh")
        assert (meeting.households_represented, meeting.others_present) == (30, 2)
        assert (vote.case_id, vote.agree, vote.attendees, vote.passed) == (case["id"], 25, 32, True)

        # The commune confirms the registration and assigns the helping officer.
        with httpx.Client(base_url=api, timeout=10) as officer:
            _signed_in(officer, OFFICER, SECRET)
            with httpx.Client(base_url=api, timeout=10) as helper:
                _signed_in(helper, HELPER, SECRET)
                user_id = helper.get("/auth/me").json()["id"]
            made = officer.post(
                "/support/officers",
                json={
                    "commune_id": commune_id,
                    "full_name": "Lê Thị Hoa",
                    "organisation": "womens_union",
                    "skills": ["credit"],
                    "hamlet_ids": [hamlet_id],
                    "capacity": 3,
                    "base_latitude": 22.12,
                    "base_longitude": 104.56,
                    "user_id": user_id,
                },
            )
            assert made.status_code == 201, made.text
            confirmed = officer.post(
                "/support/registrations/status",
                json={"registration_ids": [registration.id], "status": "confirmed"},
            )
            assert confirmed.status_code == 200, confirmed.text
            assigned = officer.put(
                f"/support/registrations/{registration.id}/officers",
                json={"officer_ids": [made.json()["id"]], "reason": "Phân công đầu năm"},
            )
            assert assigned.status_code == 200, assigned.text

        code, helper_day = run(HELPER, "helper")
        assert code == 0
        mine = helper_day["mine"]
        assert isinstance(mine, list)
        assert len(mine) == 1
        assert "Vay vốn ưu đãi" in mine[0]
        assert helper_day["visit_errors"] == []
        assert helper_day["states"] == ["sent"]
        with served.sessions() as session:
            visit = session.scalars(select(Visit)).one()
        assert visit.registration_id == registration.id
        assert visit.total_value_vnd == 30_000_000
        assert visit.progress == "in_progress"
        assert visit.photos == helper_day["photo"]
        assert len(visit.photos) == 1
