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
from mobile.store import UserStore
from shared.forms import Form
from tests.mobile.presenters.fake_review import ROUND, FakeReview


@pytest.fixture
def server() -> FakeReview:
    return FakeReview()


def test_the_queue_shows_each_case_with_its_classes_change_and_flags(
    server: FakeReview, survey_form: Form
) -> None:
    queue = ReviewQueuePresenter(
        lambda: server, survey_form, labels={"latrine": "Nhà tiêu"}, background=False
    )
    assert queue.load()
    view = queue.view()
    assert view.rounds == ((3, "Rà soát định kỳ 2025"),)
    assert view.summary == "2 hộ chờ duyệt"
    first = view.cases[0]
    assert first.title == "KP-0011 · Hoàng Văn Đức"
    assert first.detail == "Thôn Khuổi Phầy 2 · Đã rà soát · Hộ nghèo"
    assert first.flags == "Từ cận nghèo thành nghèo · Ngoài thôn 412 m"
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
    server: FakeReview, survey_form: Form
) -> None:
    queue = ReviewQueuePresenter(lambda: server, survey_form, background=False)
    queue.load()
    choices = dict(question_choices(survey_form, "vi"))
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
    server: FakeReview, store: UserStore
) -> None:
    meeting = MeetingPresenter(
        lambda: server,
        [(1, "Thôn Khuổi Phầy 2")],
        "Hoàng Văn Lực",
        date(2025, 11, 3),
        store,
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
    server: FakeReview, store: UserStore
) -> None:
    meeting = MeetingPresenter(
        lambda: server,
        [(1, "Thôn Khuổi Phầy 2")],
        "Hoàng Văn Lực",
        date(2025, 11, 3),
        store,
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
