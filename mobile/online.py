"""The one online call the tablet makes outside sync: the first sign-in of a user.

Takes an injected ``httpx.Client`` (Starlette's ``TestClient`` is one), so tests drive the real
server app without a network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
