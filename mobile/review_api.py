"""The review round's online calls (``/api/v1/review``), for the screens that work with the
server rather than offline: the commune officer's review queue and the hamlet head's meeting.

Takes an injected ``httpx.Client`` (Starlette's ``TestClient`` is one) and the user's sealed
tokens; requests go through the user's ``ServerSession`` (``mobile.online``), which renews an
expired access token for these screens and the sync engine alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from mobile.i18n import Lang
from mobile.online import ServerRefusedError, ServerSession, json_body
from mobile.sync.bridge import refusal_text

API = "/api/v1/review"


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
        self.session = ServerSession(http, tokens, save)
        self.lang = lang

    def _refuse(self, status: int, body: dict[str, Any]) -> OnlineError:
        code = str(body.get("error", ""))
        if code == "device_revoked":
            return OnlineError("device_revoked", code)
        if status == 401:
            return OnlineError("auth", code)
        if status >= 500:
            return OnlineError("offline", code, str(status))
        return OnlineError("refused", code, refusal_text(body, self.lang))

    def call(self, method: str, path: str, **options: Any) -> Any:
        """Return the JSON answer of ``method path`` (under ``/api/v1/review``); raise
        ``OnlineError``."""
        options["headers"] = {"Accept-Language": self.lang}
        try:
            response = self.session.request(method, f"{API}{path}", **options)
        except httpx.TransportError as error:
            raise OnlineError("offline", message=str(error)) from None
        except ServerRefusedError as refused:
            raise self._refuse(refused.status, refused.body) from None
        if response.status_code >= 400:
            raise self._refuse(response.status_code, json_body(response))
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
