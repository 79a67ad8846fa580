"""Signing in, refreshing, lock-out and device revocation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.auth import repository
from server.auth.models import SignInAttempts
from server.db import utcnow
from server.settings import Settings
from tests.server.conftest import PASSWORD, World, login


def _login(client: TestClient, username: str, password: str, device: str = "tablet-0001"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password, "device_id": device},
    )


def test_login_gives_tokens_and_me(client: TestClient, world: World) -> None:
    response = _login(client, "enumerator", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    ).json()
    assert me["role"] == "enumerator"
    assert me["scope"]["hamlet_ids"] == [world.hamlets["A"].id]
    assert me["device_id"] == body["device_id"]


def test_wrong_password_and_unknown_user_are_the_same_error(
    client: TestClient, world: World
) -> None:
    assert _login(client, "enumerator", "wrong-password").json()["error"] == "invalid_credentials"
    assert _login(client, "nobody", PASSWORD).json()["error"] == "invalid_credentials"


def test_repeated_failures_lock_the_account(client: TestClient, world: World) -> None:
    codes = [_login(client, "enumerator", "wrong-password").json()["error"] for _ in range(3)]
    assert codes == ["invalid_credentials", "invalid_credentials", "account_locked"]
    locked = _login(client, "enumerator", PASSWORD)
    assert (locked.status_code, locked.json()["error"]) == (423, "account_locked")


def test_an_unknown_username_locks_the_same_way(client: TestClient, world: World) -> None:
    """The answers never tell which usernames exist."""
    for username in ("enumerator", "nobody-here"):
        answers = [
            (r.status_code, r.json()["error"])
            for r in (_login(client, username, "wrong-password") for _ in range(4))
        ]
        assert answers == [
            (401, "invalid_credentials"),
            (401, "invalid_credentials"),
            (423, "account_locked"),
            (423, "account_locked"),
        ], username


def test_one_address_trying_many_names_is_locked_out(
    client: TestClient, world: World, settings: Settings
) -> None:
    limit = settings.address_lockout_failures
    answers = [_login(client, f"guess-{n}", "wrong-password").json()["error"] for n in range(limit)]
    assert answers == ["invalid_credentials"] * (limit - 1) + ["account_locked"]
    # Even the right password of a user who never failed waits out the address's lock-out.
    assert _login(client, "commune_officer", PASSWORD).json()["error"] == "account_locked"


def test_lock_expires(client: TestClient, world: World, session: Session) -> None:
    for _ in range(3):
        _login(client, "enumerator", "wrong-password")
    row = session.get(SignInAttempts, "account:enumerator")
    assert row is not None
    assert row.locked_until is not None
    row.locked_until = utcnow() - timedelta(seconds=1)
    session.commit()
    assert _login(client, "enumerator", PASSWORD).status_code == 200


def test_success_resets_the_failure_count(client: TestClient, world: World) -> None:
    for _ in range(2):
        _login(client, "enumerator", "wrong-password")
    assert _login(client, "enumerator", PASSWORD).status_code == 200
    assert _login(client, "enumerator", "wrong-password").json()["error"] == "invalid_credentials"


def _refresh(client: TestClient, token: str) -> dict[str, Any]:
    body: dict[str, Any] = client.post("/api/v1/auth/refresh", json={"refresh_token": token}).json()
    return body


def test_refresh_rotates_and_the_new_token_retires_the_old(
    client: TestClient, world: World
) -> None:
    first = _login(client, "enumerator", PASSWORD).json()
    second = _refresh(client, first["refresh_token"])
    assert second["device_id"] == first["device_id"]
    assert second["refresh_token"] != first["refresh_token"]
    # The device received the new token and used it: the first one is gone for good.
    third = _refresh(client, second["refresh_token"])
    assert third["refresh_token"]
    assert _refresh(client, first["refresh_token"])["error"] == "token_expired"
    assert _refresh(client, second["refresh_token"])["refresh_token"]  # its own grace
    assert _refresh(client, first["refresh_token"])["error"] == "token_expired"


def test_a_refresh_whose_answer_was_lost_can_be_repeated_within_the_grace(
    client: TestClient, world: World, session: Session
) -> None:
    first = _login(client, "enumerator", PASSWORD).json()
    lost = _refresh(client, first["refresh_token"])  # the answer never reaches the tablet
    retried = _refresh(client, first["refresh_token"])
    assert retried["refresh_token"] not in (first["refresh_token"], lost["refresh_token"])
    # Lost twice over: still the first token, still within the grace counted from the first.
    again = _refresh(client, first["refresh_token"])
    assert again["access_token"]
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {again['access_token']}"}
    ).json()
    assert me["username"] == "enumerator"

    device = repository.device(session, first["device_id"])
    assert device is not None
    device.refresh_rotated_at = utcnow() - timedelta(seconds=601)
    session.commit()
    assert _refresh(client, first["refresh_token"])["error"] == "token_expired"
    # The newest token is unaffected.
    assert _refresh(client, again["refresh_token"])["refresh_token"]


def test_signing_in_again_ends_the_grace(client: TestClient, world: World) -> None:
    first = _login(client, "enumerator", PASSWORD).json()
    _refresh(client, first["refresh_token"])
    _login(client, "enumerator", PASSWORD)
    assert _refresh(client, first["refresh_token"])["error"] == "token_expired"


def test_garbage_tokens_are_not_authenticated(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": "12.nope"})
    assert refresh.json()["error"] == "token_expired"


def test_revoked_device_loses_access_at_once(client: TestClient, world: World) -> None:
    headers = login(client, "enumerator")
    tokens = _login(client, "enumerator", PASSWORD, "tablet-0002").json()
    officer = login(client, "commune_officer")
    revoked = client.post(f"/api/v1/devices/{tokens['device_id']}/revoke", headers=officer)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"]
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=bearer).json()["error"] == "device_revoked"
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.json()["error"] in ("device_revoked", "token_expired")
    again = _login(client, "enumerator", PASSWORD, "tablet-0002")
    assert again.json()["error"] == "device_revoked"
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200


def test_logout_revokes_the_current_device(client: TestClient, world: World) -> None:
    headers = login(client, "helping_officer")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).json()["error"] == "device_revoked"


def test_devices_of_other_scopes_cannot_be_revoked(client: TestClient, world: World) -> None:
    tokens = _login(client, "enumerator_b", PASSWORD).json()
    outsider = login(client, "officer_c2")
    response = client.post(f"/api/v1/devices/{tokens['device_id']}/revoke", headers=outsider)
    assert response.json()["error"] == "out_of_scope"
    plain = login(client, "enumerator")
    response = client.post(f"/api/v1/devices/{tokens['device_id']}/revoke", headers=plain)
    assert response.json()["error"] == "forbidden"


def test_expired_access_token(client: TestClient, world: World, security) -> None:  # type: ignore[no-untyped-def]
    tokens = _login(client, "enumerator", PASSWORD).json()
    stale = security.access_token(1, tokens["device_id"], utcnow() - timedelta(hours=1), 0)
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {stale}"})
    assert response.json()["error"] == "token_expired"
