"""The user's one server session: the sync engine and the survey screens sign with the same
tokens, and an expired access token is renewed once for both."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mobile.online import ServerRefusedError, ServerSession
from tests.mobile.sync.fake_server import FakeServer


def test_a_pair_renewed_by_one_caller_is_used_by_the_other_without_spending_it_again() -> None:
    server = FakeServer(access_token="access-0")  # access-1 has expired
    held: dict[str, Any] = {"access_token": "access-1", "refresh_token": "refresh-1"}
    http = server.client()
    sync = ServerSession(http, lambda: held, held.update)
    screens = ServerSession(http, lambda: held, held.update)
    raced: list[str] = []

    def send(method: str, url: str, **options: Any) -> httpx.Response:
        answer = http.request(method, url, **options)
        if not raced:
            # The sync worker renews the pair while the screen's request is on the way.
            raced.append("sync")
            assert sync.request("GET", "/api/v1/sync/pull").status_code == 200
        return answer

    assert screens.request("GET", "/api/v1/sync/pull", send=send).status_code == 200
    assert server.requests.count("POST /api/v1/auth/refresh") == 1
    assert held == {**held, "access_token": "access-2", "refresh_token": "refresh-2"}


def test_a_refused_renewal_is_a_server_refusal() -> None:
    server = FakeServer(access_token="elsewhere", refresh_token="refresh-9")
    held = {"access_token": "access-1", "refresh_token": "refresh-1"}
    session = ServerSession(server.client(), lambda: held, held.update)
    with pytest.raises(ServerRefusedError) as refused:
        session.request("GET", "/api/v1/sync/pull")
    assert (refused.value.status, refused.value.error) == (401, "token_expired")
