"""The review round's online calls (``/api/v1/review``), for the screens that work with the
server rather than offline: the commune officer's review queue and the hamlet head's meeting.

Takes an injected ``httpx.Client`` (Starlette's ``TestClient`` is one) and the user's sealed
tokens; an expired access token is renewed once with the refresh token (the pair kept before
it is used: the server spends a refresh token on use), as the sync engine does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from mobile.i18n import Lang
from mobile.sync.bridge import refusal_text

API = "/api/v1/review"
REFRESH = "/api/v1/auth/refresh"


class OnlineError(Exception):
    """A call that did not go through. ``reason``: ``offline`` (no network or no answer),
    ``auth`` (no session: sign in online again), ``device_revoked``, or ``refused`` (a catalog
    error; ``code`` and ``message`` in the app's language)."""

    def __init__(self, reason: str, code: str = "", message: str = "") -> None:
        super().__init__(f"{reason} {code}: {message}".strip())
        self.reason = reason
        self.code = code
        self.message = message


class ReviewApi:
    """``tokens`` returns the user's current pair; ``save`` keeps a renewed one."""

    def __init__(
        self,
        http: httpx.Client,
        tokens: Callable[[], dict[str, Any]],
        save: Callable[[dict[str, Any]], None],
        lang: Lang = "vi",
    ) -> None:
        self.http = http
        self.tokens = tokens
        self.save = save
        self.lang = lang

    def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        access = str(self.tokens().get("access_token") or "")
        headers = {"Authorization": f"Bearer {access}", "Accept-Language": self.lang}
        try:
            return self.http.request(method, path, headers=headers, **options)
        except httpx.TransportError as error:
            raise OnlineError("offline", message=str(error)) from None

    def _refresh(self) -> None:
        refresh = str(self.tokens().get("refresh_token") or "")
        if not refresh:
            raise OnlineError("auth")
        try:
            response = self.http.post(REFRESH, json={"refresh_token": refresh})
        except httpx.TransportError as error:
            raise OnlineError("offline", message=str(error)) from None
        if response.status_code != 200:
            self._refuse(response)
        self.save(response.json())

    def _refuse(self, response: httpx.Response) -> None:
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        code = str(body.get("error", ""))
        if code == "device_revoked":
            raise OnlineError("device_revoked", code)
        if response.status_code == 401:
            raise OnlineError("auth", code)
        if response.status_code >= 500:
            raise OnlineError("offline", code, str(response.status_code))
        raise OnlineError("refused", code, refusal_text(body, self.lang))

    def call(self, method: str, path: str, **options: Any) -> Any:
        """Return the JSON answer of ``method path`` (under ``/api/v1/review``); raise
        ``OnlineError``."""
        response = self._send(method, f"{API}{path}", **options)
        if response.status_code == 401 and _code(response) == "token_expired":
            self._refresh()
            response = self._send(method, f"{API}{path}", **options)
        if response.status_code >= 400:
            self._refuse(response)
        return response.json()

    def rounds(self) -> list[dict[str, Any]]:
        """Return the rounds of the user's communes, newest first."""
        found: list[dict[str, Any]] = self.call("GET", "/rounds")
        return found

    def queue(self, round_id: int) -> list[dict[str, Any]]:
        """Return the round's review queue (surveyed, re-surveyed, under review)."""
        found: list[dict[str, Any]] = self.call("GET", f"/rounds/{round_id}/queue")
        return found

    def cases(self, round_id: int, state: str) -> list[dict[str, Any]]:
        """Return the round's cases in ``state`` inside the user's scope."""
        found: list[dict[str, Any]] = self.call(
            "GET", "/cases", params={"round_id": round_id, "state": state}
        )
        return found

    def accept(self, case_id: int) -> dict[str, Any]:
        found: dict[str, Any] = self.call("POST", f"/cases/{case_id}/accept")
        return found

    def return_case(self, case_id: int, comments: list[dict[str, str]]) -> dict[str, Any]:
        found: dict[str, Any] = self.call(
            "POST", f"/cases/{case_id}/return", json={"comments": comments}
        )
        return found

    def record_meeting(self, round_id: int, attendance: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = self.call("POST", f"/rounds/{round_id}/meetings", json=attendance)
        return found

    def vote(self, meeting_id: int, votes: list[dict[str, int]]) -> dict[str, Any]:
        found: dict[str, Any] = self.call(
            "POST", f"/meetings/{meeting_id}/votes", json={"votes": votes}
        )
        return found


def _code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""
