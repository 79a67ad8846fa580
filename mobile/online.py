"""The tablet's calls to the server outside the sync protocol's body: the first sign-in of a
user (``OnlineAuth``), and the signed-in user's session (``ServerSession``), which the sync
engine and the review round's online screens (``mobile.review_api``) both send through, so
an expired access token is renewed in one place.

Takes an injected ``httpx.Client`` (Starlette's ``TestClient`` is one), so tests drive the real
server app without a network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from mobile.store.accounts import Profile


class OnlineSignInFailed(Exception):
    """``reason``: ``invalid_credentials``, ``account_locked``, ``offline`` or ``server``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignedIn:
    profile: Profile
    tokens: dict[str, Any]
    hamlet_ids: list[int]


class OnlineAuth:
    def __init__(self, client: httpx.Client, base_url: str) -> None:
        self.client = client
        self.base = base_url.rstrip("/") + "/api/v1"

    def sign_in(self, username: str, password: str, device_id: str, device_name: str) -> SignedIn:
        """Return the profile and tokens from ``/auth/login`` and ``/auth/me``."""
        try:
            response = self.client.post(
                f"{self.base}/auth/login",
                json={
                    "username": username,
                    "password": password,
                    "device_id": device_id,
                    "device_name": device_name,
                },
            )
            if response.status_code in (401, 403, 423):
                code = response.json().get("error", "invalid_credentials")
                raise OnlineSignInFailed(str(code))
            if response.status_code != 200:
                raise OnlineSignInFailed("server")
            tokens = response.json()
            me = self.client.get(
                f"{self.base}/auth/me",
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
            )
            if me.status_code != 200:
                raise OnlineSignInFailed("server")
            data = me.json()
        except httpx.TransportError:
            raise OnlineSignInFailed("offline") from None
        profile = Profile(data["username"], data["full_name"], data["role"], data["id"])
        return SignedIn(profile, tokens, list(data["scope"]["hamlet_ids"]))


REFRESH = "/api/v1/auth/refresh"
# The server spends a refresh token on use; a tablet has one signed-in user, so one lock keeps
# the sync worker and a screen from both spending it.
_RENEWAL = threading.Lock()


class ServerRefusedError(Exception):
    """The server answered a catalog error that sending again will not change (a code in
    ``error``)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.error = str(body.get("error", "unknown"))
        self.body = body
        super().__init__(f"{status} {self.error}: {body.get('message', '')}")


class Send(Protocol):
    def __call__(self, method: str, url: str, **options: Any) -> httpx.Response: ...


class ServerSession:
    """The signed-in user's session: every request carries the access token; a
    ``token_expired`` answer renews the pair once with the refresh token and the request goes
    again. ``tokens`` returns the current pair; ``save`` keeps a renewed one before anything
    is sent with it."""

    def __init__(
        self,
        http: httpx.Client,
        tokens: Callable[[], Mapping[str, Any]],
        save: Callable[[dict[str, Any]], None],
    ) -> None:
        self.http = http
        self.tokens = tokens
        self.save = save

    def request(
        self, method: str, url: str, send: Send | None = None, **options: Any
    ) -> httpx.Response:
        """Return the answer to ``method url`` sent by ``send`` (the client's own request by
        default; the sync engine passes its retrying one). Raise ``ServerRefusedError`` when
        the renewal is refused (``token_expired``: sign in online; ``device_revoked``);
        transport errors pass through."""
        transport = send or self._plain
        access = str(self.tokens().get("access_token") or "")
        response = transport(method, url, **self._signed(access, options))
        if response.status_code == 401 and error_code(response) == "token_expired":
            self._renew(access, transport)
            fresh = str(self.tokens().get("access_token") or "")
            response = transport(method, url, **self._signed(fresh, options))
        return response

    def _plain(self, method: str, url: str, **options: Any) -> httpx.Response:
        return self.http.request(method, url, **options)

    @staticmethod
    def _signed(access: str, options: dict[str, Any]) -> dict[str, Any]:
        headers = {**options.get("headers", {}), "Authorization": f"Bearer {access}"}
        return {**options, "headers": headers}

    def _renew(self, expired: str, send: Send) -> None:
        with _RENEWAL:
            held = self.tokens()
            if str(held.get("access_token") or "") != expired:
                return  # renewed by another caller meanwhile
            refresh = str(held.get("refresh_token") or "")
            if not refresh:
                raise ServerRefusedError(401, {"error": "token_expired"})
            response = send("POST", REFRESH, json={"refresh_token": refresh})
            if response.status_code != 200:
                raise ServerRefusedError(response.status_code, json_body(response))
            self.save(response.json())


def json_body(response: httpx.Response) -> dict[str, Any]:
    """Return the answer's JSON object, empty when it is none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_code(response: httpx.Response) -> str:
    """Return the catalog code of an error answer ("" when none)."""
    return str(json_body(response).get("error", ""))
