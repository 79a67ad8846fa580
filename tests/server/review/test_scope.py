"""Who may act in the review round, and where: every role against a case, meeting and round
in its own hamlet, another hamlet of its commune, another commune and another province.

Expectations are written out here, independently of ``server.auth.policy``: only the commune
officer manages the review, the hamlet head and the commune officer record meetings, only
the commune chair recognises the lists; everyone reads what lies in their scope. A refusal
outside the role is ``forbidden``, inside the role but outside the scope ``out_of_scope``.

One world per module (rounds open in the three communes, cases in every hamlet, meetings
held), every user signed in once; each test runs in a savepoint rolled back at its end.
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Connection, Engine

from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.security import Security
from server.demo.population import Target, random_household
from server.households.service import MemberData, register_household
from server.settings import Settings
from tests.server.conftest import World, _factory, login, make_world

ROLES = (
    "enumerator",
    "hamlet_head",
    "helping_officer",
    "commune_officer",
    "commune_chair",
    "province_viewer",
    "admin",
)
HAMLETS = "ABCD"
# Hamlets A and B lie in commune 0, C in commune 1 (same province), D in commune 2 (another).
COMMUNE_OF = {"A": 0, "B": 0, "C": 1, "D": 2}
SEES = {
    "enumerator": "A",
    "hamlet_head": "A",
    "helping_officer": "A",
    "commune_officer": "AB",
    "commune_chair": "AB",
    "province_viewer": "ABC",
    "admin": "ABC",
}
MANAGERS = {"commune_officer"}
MEETING_RECORDERS = {"hamlet_head", "commune_officer"}
RECOGNISERS = {"commune_chair"}
# Who runs the round of each commune while the world is built.
OFFICER_OF = {0: "commune_officer", 1: "officer_c2", 2: "officer_c3"}
SURVEY_DATE = date(2023, 10, 2)
MEETING = {
    "held_on": "2023-11-20",
    "chair_name": "Lê Văn Trưởng",
    "secretary_name": "Phạm Thị Thư",
    "front_supervisor": "Hoàng Minh Giám",
    "households_represented": 30,
    "others_present": 2,
}
# The rounds decided here are the empty monthly rounds of September 2023: due by Monday 2
# October (15 days from Friday the 15th end on a Saturday).
DECISION = {"decision_number": "12/QĐ-UBND", "decision_date": "2023-09-29"}
REASON = "Hộ đã chuyển cả gia đình vào Bình Dương làm ăn từ tháng 8"


def _communes_seen(role: str) -> set[int]:
    return {COMMUNE_OF[h] for h in SEES[role]}


def _expect(allowed_role: bool, inside: bool, success: int) -> tuple[int, str | None]:
    if not allowed_role:
        return 403, "forbidden"
    return (success, None) if inside else (403, "out_of_scope")


def _outcome(response: httpx.Response) -> tuple[int, str | None]:
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        return response.status_code, body.get("error") if isinstance(body, dict) else None
    return response.status_code, None


@dataclass
class Review:
    """The module's world through the API: the annual round of each commune (cases in every
    hamlet, A and B surveyed), a round without cases per commune, a meeting per hamlet, and
    a household per commune on no list yet."""

    connection: Connection
    client: TestClient
    world: World
    headers: dict[str, dict[str, str]]
    rounds: dict[int, int]
    empty_rounds: dict[int, int]
    cases: dict[str, int]
    meetings: dict[str, int]
    unlisted: dict[int, int]

    def call(self, username: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.client.request(
            method, f"/api/v1/review{path}", headers=self.headers[username], **kwargs
        )
        return response

    def ok(self, username: str, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(username, method, path, **kwargs)
        assert response.status_code == status, (method, path, response.text[:300])
        return response.json()

    def round_of(self, hamlet: str) -> int:
        return self.rounds[COMMUNE_OF[hamlet]]

    def vote_ready(self, hamlet: str) -> None:
        """Accept the hamlet's case, so its meeting may vote on it."""
        self.ok("commune_officer", "POST", f"/cases/{self.cases[hamlet]}/accept")

    def voted(self, hamlet: str) -> None:
        """Accept the hamlet's case and pass it at the hamlet meeting."""
        self.vote_ready(hamlet)
        self.ok(
            "commune_officer",
            "POST",
            f"/meetings/{self.meetings[hamlet]}/votes",
            json={"votes": [{"case_id": self.cases[hamlet], "agree": 30}]},
        )


def _survey(world: World, hamlet: str, target: Target) -> dict[str, Any]:
    area = world.hamlets[hamlet].area
    answers = random_household(
        random.Random(f"scope-{hamlet}"), f"HH-{hamlet}", SURVEY_DATE, area, target
    )
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": world.households[hamlet].id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": answers,
    }


def _build(review: Review) -> None:
    """Open the rounds, list the applicants, survey A and B, and hold the meetings."""
    world = review.world
    for commune, officer in OFFICER_OF.items():
        commune_id = world.commune_ids[commune]
        annual = review.ok(
            officer, "POST", "/rounds", 201, json={"commune_id": commune_id, "year": 2023}
        )
        review.rounds[commune] = annual["id"]
        empty = review.ok(
            officer,
            "POST",
            "/rounds",
            201,
            json={"commune_id": commune_id, "year": 2023, "procedure": "monthly", "month": 9},
        )
        assert empty["states"] == {}
        review.empty_rounds[commune] = empty["id"]
    # HH-A and HH-C were poor in 2022, so listed; HH-B and HH-D apply with Form 01.
    for hamlet in "BD":
        review.ok(
            OFFICER_OF[COMMUNE_OF[hamlet]],
            "POST",
            f"/rounds/{review.round_of(hamlet)}/cases",
            201,
            json={"household_id": world.households[hamlet].id, "application": "form01"},
        )
    for hamlet in HAMLETS:
        officer = OFFICER_OF[COMMUNE_OF[hamlet]]
        cases = review.ok(officer, "GET", "/cases", params={"hamlet_id": world.hamlets[hamlet].id})
        (case,) = cases
        review.cases[hamlet] = case["id"]
        meeting = review.ok(
            officer,
            "POST",
            f"/rounds/{review.round_of(hamlet)}/meetings",
            201,
            json={**MEETING, "hamlet_id": world.hamlets[hamlet].id},
        )
        review.meetings[hamlet] = meeting["id"]
    for hamlet in "AB":
        made = review.client.post(
            "/api/v1/surveys",
            json=_survey(world, hamlet, "poor"),
            headers=review.headers["commune_officer"],
        )
        assert made.status_code == 201, made.text[:300]
    moved = review.ok("commune_officer", "POST", f"/rounds/{review.rounds[0]}/collect")
    assert {c["id"] for c in moved} == {review.cases["A"], review.cases["B"]}


@pytest.fixture(scope="module")
def built(
    engine: Engine,
    settings: Settings,
    security: Security,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Review]:
    with engine.connect() as connection:
        transaction = connection.begin()
        factory = _factory(connection)
        with factory() as session:
            world = make_world(session, security)
            unlisted = {}
            for commune, hamlet in ((0, "A"), (1, "C"), (2, "D")):
                household = register_household(
                    session,
                    SYSTEM,
                    world.hamlets[hamlet],
                    f"NEW-{hamlet}",
                    f"Đỗ Thị Lan {hamlet}",
                    f"Xóm mới {hamlet}",
                    members=[MemberData("1", f"Đỗ Thị Lan {hamlet}", date(1990, 4, 2), "female")],
                )
                unlisted[commune] = household.id
            session.commit()
        data_dir = tmp_path_factory.mktemp("review-scope")
        app = create_app(settings.model_copy(update={"data_dir": data_dir}), factory)
        with TestClient(app) as client:
            users = (*ROLES, "officer_c2", "officer_c3")
            headers = {u: login(client, u, f"scope-{u}") for u in users}
            review = Review(connection, client, world, headers, {}, {}, {}, {}, unlisted)
            _build(review)
            yield review
        transaction.rollback()


@pytest.fixture
def review(built: Review) -> Iterator[Review]:
    """The module's world; whatever the test changes is rolled back after it."""
    savepoint = built.connection.begin_nested()
    yield built
    savepoint.rollback()


@pytest.fixture(scope="module")
def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, "JPEG")
    return buffer.getvalue()


# ----------------------------------------------------------------------------- reading


@pytest.mark.parametrize("role", ROLES)
def test_rounds_listed_are_those_of_communes_with_a_hamlet_in_scope(
    review: Review, role: str
) -> None:
    listed = review.ok(role, "GET", "/rounds")
    seen = _communes_seen(role)
    expected = {review.rounds[c] for c in seen} | {review.empty_rounds[c] for c in seen}
    assert {r["id"] for r in listed} == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_round_is_read_only_inside_scope(review: Review, role: str) -> None:
    for commune, round_id in review.rounds.items():
        expected = _expect(True, commune in _communes_seen(role), 200)
        for path in (f"/rounds/{round_id}", f"/rounds/{round_id}/queue"):
            assert _outcome(review.call(role, "GET", path)) == expected, (role, commune, path)


@pytest.mark.parametrize("role", ROLES)
def test_a_round_queue_shows_only_the_hamlets_in_scope(review: Review, role: str) -> None:
    queue = review.ok(role, "GET", f"/rounds/{review.rounds[0]}/queue")
    assert {c["id"] for c in queue} == {review.cases[h] for h in SEES[role] if h in "AB"}


@pytest.mark.parametrize("role", ROLES)
def test_cases_are_listed_and_read_only_inside_scope(review: Review, role: str) -> None:
    listed = review.ok(role, "GET", "/cases")
    assert {c["id"] for c in listed} == {review.cases[h] for h in SEES[role]}
    for hamlet in HAMLETS:
        response = review.call(role, "GET", f"/cases/{review.cases[hamlet]}")
        assert _outcome(response) == _expect(True, hamlet in SEES[role], 200), (role, hamlet)


@pytest.mark.parametrize("role", ROLES)
def test_a_meeting_is_read_only_inside_scope(review: Review, role: str) -> None:
    for hamlet in HAMLETS:
        response = review.call(role, "GET", f"/meetings/{review.meetings[hamlet]}")
        assert _outcome(response) == _expect(True, hamlet in SEES[role], 200), (role, hamlet)


# ----------------------------------------------------------------------------- rounds


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_officer_opens_a_round_in_its_own_commune(
    review: Review, role: str
) -> None:
    for commune, commune_id in enumerate(review.world.commune_ids):
        response = review.call(
            role, "POST", "/rounds", json={"commune_id": commune_id, "year": 2024}
        )
        expected = _expect(role in MANAGERS, commune in _communes_seen(role), 201)
        assert _outcome(response) == expected, (role, commune)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_officer_lists_an_applicant_inside_scope(
    review: Review, role: str
) -> None:
    for commune, round_id in review.rounds.items():
        response = review.call(
            role,
            "POST",
            f"/rounds/{round_id}/cases",
            json={"household_id": review.unlisted[commune], "application": "form01"},
        )
        expected = _expect(role in MANAGERS, commune in _communes_seen(role), 201)
        assert _outcome(response) == expected, (role, commune)
        if expected[0] == 201:
            assert response.json()["listed_because"] == "applicant"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_officer_collects_surveys_inside_scope(review: Review, role: str) -> None:
    for commune, round_id in review.rounds.items():
        response = review.call(role, "POST", f"/rounds/{round_id}/collect")
        expected = _expect(role in MANAGERS, commune in _communes_seen(role), 200)
        assert _outcome(response) == expected, (role, commune)


# ----------------------------------------------------------------------------- cases

CASE_ACTIONS: dict[str, tuple[dict[str, Any] | None, str]] = {
    "start-review": (None, "under_review"),
    "accept": (None, "accepted"),
    "return": (
        {"comments": [{"question": "members[1].employment", "text": "Kiểm tra lại việc làm"}]},
        "returned",
    ),
    "override": ({"household_class": "near_poor", "reason": REASON}, "under_review"),
    "withdraw": ({"reason": REASON}, "withdrawn"),
}


@pytest.mark.parametrize("action", sorted(CASE_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_officer_decides_a_case_inside_scope(
    review: Review, role: str, action: str
) -> None:
    body, state = CASE_ACTIONS[action]
    for hamlet in HAMLETS:
        response = review.call(role, "POST", f"/cases/{review.cases[hamlet]}/{action}", json=body)
        expected = _expect(role in MANAGERS, hamlet in SEES[role], 200)
        assert _outcome(response) == expected, (role, action, hamlet, response.text[:200])
        if expected[0] == 200:
            assert response.json()["state"] == state


# ----------------------------------------------------------------------------- meetings


@pytest.mark.parametrize("role", ROLES)
def test_a_meeting_is_recorded_by_the_hamlet_head_or_commune_officer_inside_scope(
    review: Review, role: str
) -> None:
    for hamlet in HAMLETS:
        response = review.call(
            role,
            "POST",
            f"/rounds/{review.round_of(hamlet)}/meetings",
            json={**MEETING, "hamlet_id": review.world.hamlets[hamlet].id},
        )
        expected = _expect(role in MEETING_RECORDERS, hamlet in SEES[role], 201)
        assert _outcome(response) == expected, (role, hamlet)


@pytest.mark.parametrize("role", ROLES)
def test_votes_are_recorded_by_the_hamlet_head_or_commune_officer_inside_scope(
    review: Review, role: str
) -> None:
    for hamlet in HAMLETS:
        expected = _expect(role in MEETING_RECORDERS, hamlet in SEES[role], 200)
        if expected[0] == 200:
            review.vote_ready(hamlet)
        response = review.call(
            role,
            "POST",
            f"/meetings/{review.meetings[hamlet]}/votes",
            json={"votes": [{"case_id": review.cases[hamlet], "agree": 30}]},
        )
        assert _outcome(response) == expected, (role, hamlet)
        if expected[0] == 200:
            assert [(v["passed"], v["state"]) for v in response.json()["votes"]] == [
                (True, "voted")
            ]


@pytest.mark.parametrize("role", ROLES)
def test_the_minutes_photo_is_attached_by_the_hamlet_head_or_commune_officer_inside_scope(
    review: Review, role: str, jpeg: bytes
) -> None:
    for hamlet in HAMLETS:
        response = review.call(
            role, "PUT", f"/meetings/{review.meetings[hamlet]}/minutes-photo", content=jpeg
        )
        expected = _expect(role in MEETING_RECORDERS, hamlet in SEES[role], 200)
        assert _outcome(response) == expected, (role, hamlet)
        if expected[0] == 200:
            assert response.json()["minutes_photo_sha256"]


# ----------------------------------------------------------------------------- posting


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_officer_posts_a_hamlets_results_inside_scope(
    review: Review, role: str
) -> None:
    for hamlet in HAMLETS:
        expected = _expect(role in MANAGERS, hamlet in SEES[role], 201)
        if expected[0] == 201:
            review.voted(hamlet)
        response = review.call(
            role,
            "POST",
            f"/rounds/{review.round_of(hamlet)}/postings",
            json={"hamlet_id": review.world.hamlets[hamlet].id, "starts_on": "2023-11-30"},
        )
        assert _outcome(response) == expected, (role, hamlet)
        if expected[0] == 201:
            assert response.json()["case_ids"] == [review.cases[hamlet]]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_officer_posts_at_its_own_commune_office(
    review: Review, role: str
) -> None:
    for commune, round_id in review.rounds.items():
        expected = _expect(role in MANAGERS, commune in _communes_seen(role), 201)
        if expected[0] == 201:
            review.voted("A")
            review.ok(
                role,
                "POST",
                f"/rounds/{round_id}/postings",
                201,
                json={"hamlet_id": review.world.hamlets["A"].id, "starts_on": "2023-11-30"},
            )
        response = review.call(
            role,
            "POST",
            f"/rounds/{round_id}/postings",
            json={"place": "commune_office", "starts_on": "2023-12-01"},
        )
        assert _outcome(response) == expected, (role, commune)
        if expected[0] == 201:
            assert response.json()["case_ids"] == [review.cases["A"]]


def test_the_commune_officer_cannot_post_another_communes_hamlet_in_its_round(
    review: Review,
) -> None:
    response = review.call(
        "commune_officer",
        "POST",
        f"/rounds/{review.rounds[0]}/postings",
        json={"hamlet_id": review.world.hamlets["C"].id, "starts_on": "2023-11-30"},
    )
    assert _outcome(response) == (403, "out_of_scope")


# ----------------------------------------------------------------------------- decision


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_chair_recognises_the_lists_of_its_commune(
    review: Review, role: str
) -> None:
    for commune, round_id in review.empty_rounds.items():
        response = review.call(role, "POST", f"/rounds/{round_id}/recognition", json=DECISION)
        expected = _expect(role in RECOGNISERS, commune in _communes_seen(role), 200)
        assert _outcome(response) == expected, (role, commune)
        if expected[0] == 200:
            assert response.json()["status"] == "recognised"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_chair_issues_the_certificates_of_its_commune(
    review: Review, role: str
) -> None:
    for commune, round_id in review.empty_rounds.items():
        expected = _expect(role in RECOGNISERS, commune in _communes_seen(role), 200)
        if expected[0] == 200:
            review.ok(role, "POST", f"/rounds/{round_id}/recognition", json=DECISION)
        response = review.call(
            role, "POST", f"/rounds/{round_id}/certificates", json={"issued_on": "2023-10-02"}
        )
        assert _outcome(response) == expected, (role, commune)
