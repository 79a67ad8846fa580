"""The hamlet meeting's draft in the tablet's store: what the hamlet head typed survives the
app being killed and goes once the meeting is recorded (against the real server app
in-process), and each hamlet of a round keeps its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from mobile.presenters.review import MeetingPresenter, ReviewCalls
from mobile.review_api import ReviewApi
from mobile.store import Accounts, Profile, UserStore, open_database
from tests.mobile.conftest import TEST_COST
from tests.mobile.presenters.fake_review import FakeReview
from tests.server.review.conftest import SURVEY_2023, Api, Commune, survey

ROUND = "/review/rounds"


def _accepted_round(api: Api, commune: Commune) -> int:
    """Return the id of a 2023 round whose hamlet A cases are surveyed and accepted."""
    world = commune.world
    rid = int(
        api.call(
            "commune_officer",
            "POST",
            ROUND,
            201,
            json={"commune_id": world.commune_ids[0], "year": 2023},
        )["id"]
    )
    for code, target in SURVEY_2023.items():
        if commune.households[code].hamlet_id == world.hamlets["A"].id:
            api.call("enumerator", "POST", "/surveys", 201, json=survey(commune, code, target))
    api.call("commune_officer", "POST", f"{ROUND}/{rid}/collect")
    for case in api.call("commune_officer", "GET", f"{ROUND}/{rid}/queue"):
        api.call("commune_officer", "POST", f"/review/cases/{case['id']}/accept")
    return rid


def _hamlet_head(path: Path, tmp_path: Path) -> UserStore:
    """Return the hamlet head's store in the database file at ``path``, opened afresh (signed
    in offline after the first time), as the app does after it was killed."""
    accounts = Accounts(open_database(path), kdf_cost=TEST_COST)
    if "hamlet_head" in accounts.known():
        account = accounts.sign_in_offline("hamlet_head", "2468")
    else:
        profile = Profile("hamlet_head", "Hoàng Văn Lực", "hamlet_head", 9)
        account = accounts.remember(profile, "2468", {})
    return UserStore(accounts.db, account, tmp_path / "photos")


def _meeting(
    calls: Callable[[], ReviewCalls], hamlets: Sequence[tuple[int, str]], store: UserStore
) -> MeetingPresenter:
    meeting = MeetingPresenter(
        calls,
        hamlets,
        "Hoàng Văn Lực",
        date(2023, 11, 20),
        store,
        lang="en",
        background=False,
    )
    meeting.load()
    return meeting


def _online(client: TestClient, api: Api) -> Callable[[], ReviewCalls]:
    """Return the hamlet head's review API on the in-process server."""
    tokens = {"access_token": api.as_("hamlet_head")["Authorization"].removeprefix("Bearer ")}
    return lambda: ReviewApi(client, lambda: tokens, tokens.update, "en")


def test_the_typed_meeting_survives_a_kill_and_goes_once_recorded_on_the_server(
    api: Api, client: TestClient, commune: Commune, tmp_path: Path
) -> None:
    rid = _accepted_round(api, commune)
    hamlet = commune.world.hamlets["A"].id
    hamlets = [(hamlet, "Khu phố 1")]
    tablet = tmp_path / "tablet.sqlite3"
    meeting = _meeting(_online(client, api), hamlets, _hamlet_head(tablet, tmp_path))
    assert meeting.round_id == rid
    cases = [row.case_id for row in meeting.view().rows]
    assert cases
    meeting.set_field("secretary_name", "Phạm Thị Thư")
    meeting.set_field("front_supervisor", "Hoàng Minh Giám")
    meeting.set_field("households_represented", "38")
    meeting.set_field("others_present", "2")
    meeting.set_agree(cases[0], "3")
    del meeting  # killed before "record": nothing held in memory is left

    store = _hamlet_head(tablet, tmp_path)
    meeting = _meeting(_online(client, api), hamlets, store)
    view = meeting.view()
    assert view.fields["secretary_name"] == "Phạm Thị Thư"
    assert view.fields["front_supervisor"] == "Hoàng Minh Giám"
    assert view.attendees == "Attendees: 40"
    assert view.rows[0].agree == "3"

    for case_id in cases:
        meeting.set_agree(case_id, "30")
    assert meeting.submit(), meeting.message
    assert meeting.view().recorded, meeting.message
    assert store.meeting_draft(rid, hamlet) is None
    assert _hamlet_head(tablet, tmp_path).meeting_draft(rid, hamlet) is None


def test_each_hamlet_of_the_round_keeps_its_own_draft(tmp_path: Path) -> None:
    server = FakeReview()  # round 3: case 21 in hamlet 1, case 22 in hamlet 2
    hamlets = [(1, "Thôn Khuổi Phầy 2"), (2, "Thôn Nà Cại")]
    store = _hamlet_head(tmp_path / "tablet.sqlite3", tmp_path)
    meeting = _meeting(lambda: server, hamlets, store)
    meeting.set_field("front_supervisor", "Lò Thị Hạnh")
    meeting.set_agree(21, "12")
    meeting.choose_hamlet(2)
    meeting.set_field("front_supervisor", "Đinh Văn Sơn")
    meeting.set_agree(22, "7")

    assert store.meeting_draft(3, 1) == {
        "fields": {**meeting.view().fields, "front_supervisor": "Lò Thị Hạnh"},
        "agree": {"21": "12"},
    }
    assert store.meeting_draft(3, 2) == {"fields": meeting.view().fields, "agree": {"22": "7"}}
    meeting = _meeting(lambda: server, hamlets, store)
    assert meeting.view().fields["front_supervisor"] == "Lò Thị Hạnh"
    meeting.choose_hamlet(2)
    assert meeting.view().fields["front_supervisor"] == "Đinh Văn Sơn"
    assert meeting.view().rows[0].agree == "7"
