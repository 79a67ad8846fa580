"""The review round's online screens without Kivy or a network: the commune officer's queue,
the hamlet head's meeting, and the API client's session renewal and errors."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest

from mobile.presenters.review import (
    MeetingPresenter,
    ReviewQueuePresenter,
    question_choices,
)
from mobile.review_api import OnlineError, ReviewApi
from shared.forms import Form

ROUND = {"id": 3, "procedure": "annual", "year": 2025, "status": "open", "meeting": True}
CLOSED = {**ROUND, "id": 2, "year": 2024, "status": "recognised"}


def _case(case_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": case_id,
        "household_code": f"KP-{case_id:04d}",
        "head_name": "Hoàng Văn Đức",
        "hamlet_id": 1,
        "hamlet_name": "Thôn Khuổi Phầy 2",
        "state": "surveyed",
        "state_label": "Đã rà soát",
        "allowed_actions": ["start_review", "withdraw"],
        "previous_class": "near_poor",
        "engine_class": "poor",
        "final_class": "poor",
        "overridden": False,
        "change_label": "Từ cận nghèo thành nghèo",
        "deprivations": [{"indicator": "latrine", "reason": "Nhà tiêu đơn giản"}],
        "photos": [{"sha256": "ab" * 32}],
        "geofence_distance_m": 412.4,
        "comments": [],
        **fields,
    }


class FakeReview:
    """The server's review API as the screens see it; ``offline`` makes every call fail."""

    def __init__(self) -> None:
        self.queued = [_case(11), _case(12, state="under_review", geofence_distance_m=None)]
        self.accepted = [_case(21, state="accepted", final_class="near_poor"), _case(22)]
        self.accepted[1]["hamlet_id"] = 2
        self.calls: list[tuple[str, Any]] = []
        self.offline = False

    def _call(self, name: str, argument: Any = None) -> None:
        if self.offline:
            raise OnlineError("offline")
        self.calls.append((name, argument))

    def rounds(self) -> list[dict[str, Any]]:
        self._call("rounds")
        return [ROUND, CLOSED]

    def queue(self, round_id: int) -> list[dict[str, Any]]:
        self._call("queue", round_id)
        return list(self.queued)

    def cases(self, round_id: int, state: str) -> list[dict[str, Any]]:
        self._call("cases", (round_id, state))
        return list(self.accepted)

    def accept(self, case_id: int) -> dict[str, Any]:
        self._call("accept", case_id)
        self.queued = [c for c in self.queued if c["id"] != case_id]
        return {}

    def return_case(self, case_id: int, comments: list[dict[str, str]]) -> dict[str, Any]:
        self._call("return", (case_id, comments))
        self.queued = [c for c in self.queued if c["id"] != case_id]
        return {}

    def record_meeting(self, round_id: int, attendance: dict[str, Any]) -> dict[str, Any]:
        self._call("meeting", (round_id, attendance))
        return {"id": 5}

    def vote(self, meeting_id: int, votes: list[dict[str, int]]) -> dict[str, Any]:
        self._call("vote", (meeting_id, votes))
        return {"votes": [{"case_id": v["case_id"], "passed": v["agree"] >= 10} for v in votes]}


@pytest.fixture
def server() -> FakeReview:
    return FakeReview()


def test_the_queue_shows_each_case_with_its_classes_change_and_flags(
    server: FakeReview, review_form: Form
) -> None:
    queue = ReviewQueuePresenter(
        lambda: server, review_form, labels={"latrine": "Nhà tiêu"}, background=False
    )
    assert queue.load()
    view = queue.view()
    assert view.rounds == ((3, "Rà soát định kỳ 2025"),)
    assert view.summary == "2 hộ chờ duyệt"
    first = view.cases[0]
    assert first.title == "KP-0011 · Hoàng Văn Đức"
    assert first.detail == "Thôn Khuổi Phầy 2 · Đã rà soát · Hộ nghèo"
    assert first.flags == "Từ cận nghèo thành nghèo · ⚠ ngoài thôn 412 m"
    assert first.selected
    assert view.case is not None
    assert view.case.deprivations == ("Nhà tiêu: Nhà tiêu đơn giản",)
    assert "Năm trước: Hộ cận nghèo" in view.case.lines
    assert view.case.can_accept

    assert queue.accept()
    assert ("accept", 11) in server.calls
    view = queue.view()
    assert [row.case_id for row in view.cases] == [12]
    assert view.message == "Đã duyệt."


def test_a_case_goes_back_with_a_comment_on_a_members_question(
    server: FakeReview, review_form: Form
) -> None:
    queue = ReviewQueuePresenter(lambda: server, review_form, background=False)
    queue.load()
    choices = dict(question_choices(review_form, "vi"))
    assert "members[].education" in choices
    assert not queue.return_case("members[].education", "", "Trình độ học vấn chưa đúng")
    assert queue.message == "Ghi số thứ tự thành viên (1, 2, …)."
    assert not queue.return_case("employment", "", "  ")
    assert queue.return_case("members[].education", "2", "Trình độ học vấn chưa đúng")
    assert server.calls[-2] == (
        "return",
        (11, [{"question": "members[1].education", "text": "Trình độ học vấn chưa đúng"}]),
    )
    assert queue.view().message == "Đã trả lại; rà soát viên nhận khi đồng bộ."


def test_without_signal_the_screen_says_so_and_keeps_what_was_typed(
    server: FakeReview,
) -> None:
    meeting = MeetingPresenter(
        lambda: server,
        [(1, "Thôn Khuổi Phầy 2")],
        "Hoàng Văn Lực",
        date(2025, 11, 3),
        background=False,
    )
    meeting.load()
    server.offline = True
    meeting.set_field("front_supervisor", "Lò Thị Hạnh")
    meeting.set_field("households_represented", "18")
    meeting.set_agree(21, "12")
    assert meeting.submit()
    view = meeting.view()
    assert view.offline
    assert view.message.startswith("Không có mạng.")
    assert view.fields["front_supervisor"] == "Lò Thị Hạnh"
    assert view.rows[0].agree == "12"
    assert not view.recorded


def test_the_meeting_records_attendance_and_a_vote_per_case_of_the_hamlet(
    server: FakeReview,
) -> None:
    meeting = MeetingPresenter(
        lambda: server,
        [(1, "Thôn Khuổi Phầy 2")],
        "Hoàng Văn Lực",
        date(2025, 11, 3),
        lang="en",
        background=False,
    )
    meeting.load()
    assert ("cases", (3, "accepted")) in server.calls
    view = meeting.view()
    assert view.fields["held_on"] == "03/11/2025"
    assert view.fields["chair_name"] == "Hoàng Văn Lực"
    assert [row.case_id for row in view.rows] == [21]  # case 22 is another hamlet's
    assert not meeting.submit()
    assert meeting.message.startswith("Give the date")
    meeting.set_field("front_supervisor", "Lò Thị Hạnh")
    meeting.set_field("households_represented", "18")
    meeting.set_field("others_present", "2")
    assert meeting.view().attendees == "Attendees: 20"
    meeting.set_agree(21, "9")
    assert meeting.view().rows[0].verdict == "fails: back to the commune"
    meeting.set_agree(21, "21")
    assert meeting.view().rows[0].verdict == "more than the attendees"
    assert not meeting.submit()
    meeting.set_agree(21, "10")
    assert meeting.view().rows[0].verdict == "passes (≥ 50%)"
    assert meeting.submit()
    name, (round_id, attendance) = server.calls[-2]
    assert (name, round_id) == ("meeting", 3)
    assert attendance == {
        "hamlet_id": 1,
        "held_on": "2025-11-03",
        "chair_name": "Hoàng Văn Lực",
        "secretary_name": "",
        "front_supervisor": "Lò Thị Hạnh",
        "households_represented": 18,
        "others_present": 2,
    }
    assert server.calls[-1] == ("vote", (5, [{"case_id": 21, "agree": 10}]))
    view = meeting.view()
    assert view.recorded
    assert view.rows[0].verdict == "Passed"
    assert view.message == "Meeting recorded: 1 of 1 households passed."
    assert not meeting.submit()  # a second meeting would be a second vote


def test_the_api_renews_an_expired_session_once_and_names_refusals() -> None:
    tokens = {"access_token": "old", "refresh_token": "r1"}
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path} {request.headers.get('authorization')}")
        if request.url.path == "/api/v1/auth/refresh":
            assert json.loads(request.content) == {"refresh_token": "r1"}
            return httpx.Response(200, json={"access_token": "new", "refresh_token": "r2"})
        if request.headers["authorization"] == "Bearer old":
            return httpx.Response(401, json={"error": "token_expired"})
        if request.url.path.endswith("/accept"):
            return httpx.Response(403, json={"error": "out_of_scope", "message": "x", "detail": {}})
        return httpx.Response(200, json=[ROUND])

    def save(fresh: dict[str, Any]) -> None:
        tokens.update(fresh)

    http = httpx.Client(transport=httpx.MockTransport(answer), base_url="http://server")
    api = ReviewApi(http, lambda: tokens, save)
    assert api.rounds() == [ROUND]
    assert seen == [
        "GET /api/v1/review/rounds Bearer old",
        "POST /api/v1/auth/refresh None",
        "GET /api/v1/review/rounds Bearer new",
    ]
    assert tokens["refresh_token"] == "r2"
    with pytest.raises(OnlineError) as refused:
        api.accept(11)
    assert (refused.value.reason, refused.value.code) == ("refused", "out_of_scope")
    assert refused.value.message

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    cut = httpx.Client(transport=httpx.MockTransport(unreachable), base_url="http://server")
    with pytest.raises(OnlineError) as offline:
        ReviewApi(cut, lambda: tokens, save).queue(3)
    assert offline.value.reason == "offline"
