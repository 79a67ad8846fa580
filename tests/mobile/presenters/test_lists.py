"""Home, the household list, the household detail, settings and sign-in."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import httpx

from mobile.demo import demo_households
from mobile.online import OnlineAuth
from mobile.presenters.detail import DetailPresenter
from mobile.presenters.home import HomePresenter, sync_age
from mobile.presenters.households import HouseholdListPresenter
from mobile.presenters.settings import SettingsPresenter
from mobile.presenters.signin import SignInPresenter
from mobile.store import Accounts, Hamlet, Household, Settings, UserStore


def _hamlet(store: UserStore) -> None:
    store.save_hamlets([Hamlet(1, "Thôn Khuổi Phầy 2", "Xã Tân Lập")])
    store.save_households(
        [
            Household(
                1,
                1,
                "KP-0001",
                "Hoàng Văn Đức",
                "Xóm Nà Khoang",
                "poor",
                members=[
                    {"full_name": "Hoàng Văn Đức", "birth_date": "1979-04-02", "relation": "head"}
                ],
                history=[{"year": 2025, "household_class": "poor"}],
                latest={
                    "indicators": {"latrine": {"status": "deprived", "reason": "Nhà tiêu đơn giản"}}
                },
                comments=["Kiểm tra lại diện tích"],
            ),
            Household(2, 1, "KP-0002", "Lò Thị Mai", "Xóm Bó Mạ", "near_poor"),
            Household(3, 1, "KP-0003", "Đặng Văn Dũng", "Xóm Bó Mạ", None),
        ]
    )


def test_search_ignores_diacritics_and_word_order(store: UserStore) -> None:
    _hamlet(store)
    p = HouseholdListPresenter(store, 1)
    p.search("duc hoang")
    assert [r.code for r in p.visible()] == ["KP-0001"]
    p.search("DANG")
    assert [r.code for r in p.visible()] == ["KP-0003"]
    p.search("bo ma")
    assert len(p.visible()) == 2
    assert p.summary(2) == "2/3 hộ"


def test_filters_by_class_and_review_status_with_returned_first(store: UserStore) -> None:
    _hamlet(store)
    store.new_survey(2, "household_review", 1)
    returned = store.new_survey(3, "household_review", 1)
    returned.state = "returned"
    store.save_survey(returned)
    p = HouseholdListPresenter(store, 1)
    assert next(r.code for r in p.visible()) == "KP-0003"
    assert p.visible()[0].returned
    p.filter_class("near_poor")
    assert [r.code for r in p.visible()] == ["KP-0002"]
    p.filter_class(None)
    p.filter_status("draft")
    assert [r.status_text for r in p.visible()] == ["Đang nhập"]


def test_a_hamlet_of_two_thousand_loads_and_searches_quickly(store: UserStore) -> None:
    store.save_households(demo_households(1, 2000))
    started = time.perf_counter()
    p = HouseholdListPresenter(store, 1)
    p.search("hoang duc")
    found = p.visible()
    elapsed = time.perf_counter() - started
    assert len(p.rows) == 2000
    assert found
    assert elapsed < 2.0


def test_home_counts_the_work(store: UserStore) -> None:
    _hamlet(store)
    store.new_survey(1, "household_review", 1)
    ready = store.new_survey(2, "household_review", 1)
    ready.state = "ready"
    store.save_survey(ready)
    view = HomePresenter(store).view()
    assert view.greeting == "Xin chào, Nguyễn Thị Hường"
    assert view.hamlets[0].detail == "1 hộ xong · còn 2 hộ"
    assert view.to_visit == 2
    assert len(view.drafts) == 1
    assert view.drafts[0].title == "KP-0001 · Hoàng Văn Đức"
    assert view.waiting == 1
    assert view.last_sync == "chưa bao giờ"
    assert view.stale


def test_the_age_of_the_last_sync_is_said_in_words() -> None:
    now = datetime(2026, 10, 15, 12, tzinfo=UTC)
    assert sync_age(now - timedelta(minutes=1), now, "vi") == "vừa xong"
    assert sync_age(now - timedelta(minutes=45), now, "en") == "45 minutes ago"
    assert sync_age(now - timedelta(hours=5), now, "vi") == "5 giờ trước"
    assert sync_age(now - timedelta(days=3), now, "vi") == "3 ngày trước"


def test_the_detail_shows_members_history_reasons_and_comments(store: UserStore) -> None:
    _hamlet(store)
    view = DetailPresenter(
        store, 1, date(2026, 10, 15), labels={"head": "Chủ hộ", "latrine": "Nhà tiêu hợp vệ sinh"}
    ).view()
    assert view.members == ("Hoàng Văn Đức · 47 · Chủ hộ",)
    assert view.history == ("2025: Hộ nghèo",)
    assert view.deprivations == ("Nhà tiêu hợp vệ sinh: Nhà tiêu đơn giản",)
    assert view.comments == ("Kiểm tra lại diện tích",)
    assert view.action == "Bắt đầu rà soát"


def test_settings_default_to_vietnamese_and_check_the_address(db) -> None:  # type: ignore[no-untyped-def]
    p = SettingsPresenter(Settings(db))
    assert p.view().language == "vi"
    assert not p.save_server_url("rasoat.example")
    assert p.view().message.startswith("Địa chỉ phải")
    assert p.save_server_url("https://rasoat.example/")
    p.set_language("en")
    p.set_large_text(True)
    view = p.view()
    assert (view.server_url, view.language, view.large_text) == (
        "https://rasoat.example",
        "en",
        True,
    )


def _server(status: int = 200) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/login"):
            if status != 200:
                return httpx.Response(status, json={"error": "invalid_credentials"})
            return httpx.Response(
                200,
                json={"access_token": "a", "refresh_token": "r", "expires_in": 900, "device_id": 3},
            )
        return httpx.Response(
            200,
            json={
                "id": 9,
                "username": "lan",
                "full_name": "Lò Thị Lan",
                "role": "enumerator",
                "device_id": 3,
                "permissions": [],
                "scope": {
                    "kind": "hamlets",
                    "province_id": None,
                    "commune_id": 1,
                    "hamlet_ids": [1, 2],
                },
            },
        )

    return httpx.Client(transport=httpx.MockTransport(handle))


def test_the_first_sign_in_is_online_then_offline(accounts: Accounts) -> None:
    client = _server()
    p = SignInPresenter(accounts, lambda: OnlineAuth(client, "http://server"), "dev12345")
    account = p.sign_in("lan", "secret-9")
    assert account is not None
    assert account.profile.server_user_id == 9
    offline = SignInPresenter(accounts, None, "dev12345")
    assert offline.sign_in("lan", "secret-9") is not None
    assert offline.sign_in("lan", "wrong") is None
    assert offline.message == "Sai mật khẩu hoặc mã PIN."


def test_sign_in_without_network_says_so(accounts: Accounts) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    client = httpx.Client(transport=httpx.MockTransport(offline))
    p = SignInPresenter(accounts, lambda: OnlineAuth(client, "http://server"), "dev12345")
    assert p.sign_in("lan", "secret-9") is None
    assert p.message == "Không kết nối được máy chủ."
    rejected = SignInPresenter(accounts, lambda: OnlineAuth(_server(401), "http://s"), "dev12345")
    assert rejected.sign_in("lan", "bad") is None
    assert rejected.message == "Sai tên đăng nhập hoặc mật khẩu."


def test_a_sign_in_with_signal_renews_a_server_session_that_ended(accounts: Accounts) -> None:
    client = _server()
    p = SignInPresenter(accounts, lambda: OnlineAuth(client, "http://server"), "dev12345")
    account = p.sign_in("lan", "secret-9")
    assert account is not None
    accounts.save_tokens(account, {})  # a sync found the refresh token spent
    unreachable = SignInPresenter(accounts, lambda: OnlineAuth(_server(503), "http://s"), "d")
    again = unreachable.sign_in("lan", "secret-9")
    assert again is not None  # no signal: work offline all the same
    assert accounts.tokens(again) == {}
    renewed = p.sign_in("lan", "secret-9")
    assert renewed is not None
    assert accounts.tokens(renewed)["refresh_token"]
