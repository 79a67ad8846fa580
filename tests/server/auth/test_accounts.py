"""An administrator disables, enables, resets the password of and signs out the users inside
their scope; outside it, nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.auth.models import User
from tests.server.conftest import PASSWORD, World, login

NEW_PASSWORD = "a new long password"


def _id(session: Session, username: str) -> int:
    return session.scalars(select(User.id).where(User.username == username)).one()


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password, "device_id": "accounts-tablet"},
    )


def _me(client: TestClient, headers: dict[str, str]) -> int:
    status: int = client.get("/api/v1/auth/me", headers=headers).status_code
    return status


def test_a_disabled_user_is_signed_out_and_cannot_sign_in_until_enabled(
    client: TestClient, world: World, session: Session
) -> None:
    admin = login(client, "admin", "accounts-admin")
    signed = _sign_in(client, "enumerator")
    enumerator = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    refresh = signed.json()["refresh_token"]
    user_id = _id(session, "enumerator")
    disabled = client.post(f"/api/v1/users/{user_id}/disable", headers=admin)
    assert (disabled.status_code, disabled.json()["active"]) == (200, False)
    assert _me(client, enumerator) == 401
    refused = client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert refused.status_code == 401
    wrong = _sign_in(client, "enumerator", "wrong-password")
    assert wrong.json()["error"] == "invalid_credentials"
    right = _sign_in(client, "enumerator")
    assert (right.status_code, right.json()["error"]) == (403, "account_disabled")
    enabled = client.post(f"/api/v1/users/{user_id}/enable", headers=admin)
    assert (enabled.status_code, enabled.json()["active"]) == (200, True)
    assert _sign_in(client, "enumerator").status_code == 200
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.entity == "user", AuditEntry.entity_id == str(user_id)
        )
    ).all()
    assert {"disable", "enable", "end_sessions"} <= set(actions)


def test_a_password_reset_ends_the_sessions_and_takes_the_new_password(
    client: TestClient, world: World, session: Session
) -> None:
    admin = login(client, "admin", "accounts-admin")
    enumerator = login(client, "enumerator", "accounts-old")
    user_id = _id(session, "enumerator")
    reset = client.put(
        f"/api/v1/users/{user_id}/password", json={"password": NEW_PASSWORD}, headers=admin
    )
    assert reset.status_code == 200, reset.json()
    assert _me(client, enumerator) == 401
    assert _sign_in(client, "enumerator").status_code == 401
    assert _sign_in(client, "enumerator", NEW_PASSWORD).status_code == 200


def test_ending_sessions_signs_the_user_out_everywhere(
    client: TestClient, world: World, session: Session
) -> None:
    admin = login(client, "admin", "accounts-admin")
    tablets = [login(client, "enumerator", f"accounts-tablet-{n}") for n in range(2)]
    ended = client.post(f"/api/v1/users/{_id(session, 'enumerator')}/end-sessions", headers=admin)
    assert ended.status_code == 200, ended.json()
    assert [_me(client, t) for t in tablets] == [401, 401]
    assert _sign_in(client, "enumerator").status_code == 200


@pytest.mark.parametrize(
    ("manager", "target", "expected"),
    [
        ("admin", "officer_c3", (403, "out_of_scope")),
        ("admin_p2", "enumerator", (403, "out_of_scope")),
        ("admin_p2", "officer_c3", (200, None)),
        ("commune_officer", "enumerator", (403, "forbidden")),
        ("enumerator", "enumerator_b", (403, "forbidden")),
    ],
)
def test_accounts_are_managed_only_inside_the_managers_scope(
    client: TestClient,
    world: World,
    session: Session,
    manager: str,
    target: str,
    expected: tuple[int, str | None],
) -> None:
    me = login(client, manager, "accounts-manager")
    user_id = _id(session, target)
    calls = [
        ("POST", f"/api/v1/users/{user_id}/end-sessions", None),
        ("PUT", f"/api/v1/users/{user_id}/password", {"password": NEW_PASSWORD}),
        ("POST", f"/api/v1/users/{user_id}/disable", None),
        ("POST", f"/api/v1/users/{user_id}/enable", None),
    ]
    for method, path, body in calls:
        response = client.request(method, path, json=body, headers=me)
        assert (response.status_code, response.json().get("error")) == expected, path


def test_an_administrator_cannot_disable_themselves(
    client: TestClient, world: World, session: Session
) -> None:
    response = client.post(
        f"/api/v1/users/{_id(session, 'admin')}/disable", headers=login(client, "admin")
    )
    assert (response.status_code, response.json()["error"]) == (422, "invalid_request")
