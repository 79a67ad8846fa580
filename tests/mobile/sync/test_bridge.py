"""The sync screen's port over the engine: finished surveys become push records, outcomes move
surveys on, pulled items land in the user's store, and failures become plain reasons."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.store import Accounts, Hamlet, Household, Profile, UserStore, open_database
from mobile.store.accounts import Account
from mobile.store.records import Survey
from mobile.sync.bridge import (
    EngineSync,
    Receiver,
    push_body,
    queue_ready,
    settle_surveys,
    sync_store,
)
from mobile.sync.engine import Retry
from mobile.sync.store import Store
from mobile.sync_port import Failure, Phase, Progress
from tests.mobile.conftest import TEST_COST
from tests.mobile.sync.fake_server import FakeServer, unreachable

JPEG = b"\xff\xd8 a reduced photo \xff\xd9"
SHA = hashlib.sha256(JPEG).hexdigest()


@pytest.fixture
def tablet(tmp_path: Path) -> tuple[UserStore, Account]:
    db = open_database(tmp_path / "rasoat.sqlite3")
    tokens: dict[str, object] = {"access_token": "access-1", "refresh_token": "refresh-1"}
    account = Accounts(db, kdf_cost=TEST_COST).remember(
        Profile("huong", "Nguyễn Thị Hường", "enumerator", 7), "2468", tokens
    )
    users = UserStore(db, account, tmp_path / "photos")
    users.save_hamlets([Hamlet(1, "Thôn Khuổi Phầy 2", "Xã Tân Lập")])
    users.save_households([Household(5, 1, "VL-0005", "Hoàng Văn Đức")])
    return users, account


def finished(users: UserStore) -> Survey:
    survey = users.new_survey(5, "household_review", 1)
    name = users.save_photo(survey.survey_id, "photo_house", JPEG, SHA)
    survey.envelope["answers"] = {
        "household_id": "VL-0005",
        "location": {"latitude": 22.1, "longitude": 104.5, "accuracy_m": 8.5},
        "photo_house": {"file": name, "sha256": SHA, "purpose": "house"},
    }
    survey.envelope["meta"] = {"device": "d1", "completed_at": "2026-10-15T08:00:00+00:00"}
    survey.state = "ready"
    users.save_survey(survey)
    return survey


def queued(users: UserStore, account: Account, folder: Path) -> tuple[Survey, Store]:
    """Return a finished survey, queued in the user's sync file (also returned)."""
    survey = finished(users)
    outbox = sync_store(folder, account)
    queue_ready(users, outbox)
    found = users.survey(survey.survey_id)
    assert found is not None
    return found, outbox


def test_a_finished_survey_is_pushed_as_a_record(tablet: tuple[UserStore, Account]) -> None:
    users, _ = tablet
    survey = finished(users)
    body = push_body(survey, users.photos(survey.survey_id))
    assert body["household_id"] == 5
    assert body["location"] == {"latitude": 22.1, "longitude": 104.5, "accuracy_m": 8.5}
    assert body["photos"] == [{"sha256": SHA, "question": "photo_house"}]
    assert body["completed_at"] == "2026-10-15T08:00:00+00:00"


def test_queueing_twice_queues_once(tablet: tuple[UserStore, Account], tmp_path: Path) -> None:
    users, account = tablet
    finished(users)
    outbox = sync_store(tmp_path, account)
    assert queue_ready(users, outbox) == 1
    assert queue_ready(users, outbox) == 1
    assert len(outbox.outbox()) == 1
    (photo,) = outbox.photos()
    assert photo.path.suffix == ".sealed"  # read and opened in memory, never written in clear


def test_a_refused_review_comes_back_with_the_reason_and_goes_again_under_a_new_id(
    tablet: tuple[UserStore, Account], tmp_path: Path
) -> None:
    users, account = tablet
    first, outbox = queued(users, account, tmp_path)
    survey = first
    outbox.settle(
        [
            {
                "id": first.survey_uuid,
                "status": 404,
                "result": "refused",
                "error": "not_found",
                "detail": {"what": "household 5"},
            }
        ]
    )
    settle_surveys(users, outbox, "vi")
    returned = users.survey(survey.survey_id)
    assert returned is not None
    assert returned.state == "returned"
    assert "household 5" in returned.returned_comment
    returned.state = "ready"
    users.save_survey(returned)
    queue_ready(users, outbox)
    again = users.survey(survey.survey_id)
    assert again is not None
    assert again.survey_uuid not in ("", first.survey_uuid)
    assert [r.state for r in outbox.outbox()] == ["refused", "pending"]


def test_pulled_hamlets_and_households_land_in_the_store(
    tablet: tuple[UserStore, Account],
) -> None:
    users, _ = tablet
    receiver = Receiver(users, Store(":memory:"))
    receiver.apply(
        [
            {"e": "hamlet", "k": "2", "v": 0, "d": {"code": "NK", "name": "Bản Nà Khoang"}},
            {
                "e": "household",
                "k": "6",
                "v": 8,
                "d": {
                    "hamlet_id": 2,
                    "code": "NK-0001",
                    "head_name": "Lò Văn Sơn",
                    "members": [{"member_no": "1", "full_name": "Lò Văn Sơn"}],
                    "class": {"year": 2025, "class": "near_poor"},
                },
            },
            {"e": "household", "k": "5", "v": 9, "d": None},
            {"e": "reference", "k": "forms/x.yaml", "v": 0, "d": {"sha256": "s", "text": "t"}},
            {"e": "something_new", "k": "1", "v": 1, "d": {"whatever": [1, 2]}},
        ]
    )
    assert [h.name for h in users.hamlets()] == ["Bản Nà Khoang", "Thôn Khuổi Phầy 2"]
    assert users.household(5) is None
    pulled = users.household(6)
    assert pulled is not None
    assert pulled.household_class == "near_poor"
    assert pulled.history == [{"year": 2025, "household_class": "near_poor"}]
    receiver.apply([{"e": "hamlet", "k": "2", "v": 0, "d": None}])
    assert users.household(6) is None


@pytest.mark.parametrize("number", ["survey_id", "submission_id"])
def test_a_survey_returned_by_the_commune_reopens_with_the_comments(
    tablet: tuple[UserStore, Account], tmp_path: Path, number: str
) -> None:
    """The case names the survey by the server's number its push outcome gave; an outcome
    kept from before the rename names it ``submission_id``."""
    users, account = tablet
    sent, outbox = queued(users, account, tmp_path)
    survey = sent
    outbox.settle([{"id": sent.survey_uuid, "status": 201, "result": "applied", number: 41}])
    settle_surveys(users, outbox, "vi")
    case: dict[str, Any] = {
        "hamlet_id": 1,
        "household_id": 5,
        "state": "returned",
        "survey_id": 41,
        "comments": [{"id": 1, "question": "floor_area_m2", "text": "Diện tích chưa đúng"}],
    }
    Receiver(users, outbox).apply([{"e": "review_case", "k": "3", "v": 12, "d": case}])
    returned = users.survey(survey.survey_id)
    assert returned is not None
    assert returned.state == "returned"
    assert returned.returned_comment == "floor_area_m2: Diện tích chưa đúng"
    assert returned.survey_uuid == ""

    case = {**case, "state": "under_review", "survey_id": 42}
    Receiver(users, outbox).apply([{"e": "review_case", "k": "3", "v": 13, "d": case}])
    household = users.household(5)
    assert household is not None
    assert household.comments == ["floor_area_m2: Diện tích chưa đúng"]


def run(tmp_path: Path, account: Account, server: FakeServer) -> tuple[Any, list[Progress]]:
    seen: list[Progress] = []
    port = EngineSync(tmp_path, account, server.client(), retry=Retry(attempts=1))
    return port.start(seen.append), seen


def test_a_run_reports_each_phase_and_what_moved(
    tablet: tuple[UserStore, Account], tmp_path: Path
) -> None:
    users, account = tablet
    survey = finished(users)
    server = FakeServer()
    server.pages = [[{"e": "hamlet", "k": "1", "v": 0, "d": {"name": "Thôn Khuổi Phầy 2"}}]]
    outcome, seen = run(tmp_path, account, server)
    assert outcome.ok
    # The survey and its photo went.
    assert (outcome.sent, outcome.received, outcome.rejected) == (2, 1, 0)
    assert {p.phase for p in seen} == set(Phase)
    assert bytes(server.photos[SHA]) == JPEG
    sent = users.survey(survey.survey_id)
    assert sent is not None
    assert sent.state == "sent"


def test_photos_a_resumed_run_finished_count_as_sent(
    tablet: tuple[UserStore, Account], tmp_path: Path
) -> None:
    users, account = tablet
    survey = finished(users)

    def answer(_request: httpx.Request) -> None:
        return None

    # The survey goes, then the link drops before its photo.
    server = FakeServer(before=[answer, unreachable])
    cut, _ = run(tmp_path, account, server)
    assert cut.failure == Failure.OFFLINE
    resumed, _ = run(tmp_path, account, server)
    assert resumed.ok
    assert resumed.sent == 1
    assert bytes(server.photos[SHA]) == JPEG
    sent = users.survey(survey.survey_id)
    assert sent is not None
    assert sent.state == "sent"


def test_failures_become_plain_reasons(tablet: tuple[UserStore, Account], tmp_path: Path) -> None:
    users, account = tablet
    finished(users)
    outcome, _ = run(tmp_path, account, FakeServer(before=[unreachable]))
    assert outcome.failure == Failure.OFFLINE
    outcome, _ = run(tmp_path, account, FakeServer(revoked=True))
    assert outcome.failure == Failure.DEVICE_REVOKED
    outcome, _ = run(tmp_path, account, FakeServer(access_token="x", refresh_token="y"))
    assert outcome.failure == Failure.AUTH
    assert users.surveys(["ready"])  # nothing sent, nothing lost
    assert Accounts(users.db).tokens(account) == {}  # the next sign-in with signal renews it
    outcome, _ = run(tmp_path, account, FakeServer())
    assert outcome.failure == Failure.AUTH
