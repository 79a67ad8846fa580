"""Managing users: only admins, only inside their own scope, roles at their proper scope."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import World, login


def _user(world: World, username: str, **scope: object) -> dict[str, object]:
    return {
        "username": username,
        "full_name": "Người Mới",
        "password": "mat-khau-dai",
        "role": "enumerator",
        "scope_kind": "hamlets",
        "hamlet_ids": [world.hamlets["A"].id],
        **scope,
    }


def test_admin_creates_a_user_in_scope(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    response = client.post("/api/v1/users", json=_user(world, "new_enum"), headers=admin)
    assert response.status_code == 201
    assert response.json()["hamlet_ids"] == [world.hamlets["A"].id]
    assert "new_enum" in [u["username"] for u in client.get("/api/v1/users", headers=admin).json()]


def test_admin_of_another_province_cannot(client: TestClient, world: World) -> None:
    admin = login(client, "admin_p2")
    response = client.post("/api/v1/users", json=_user(world, "sneaky"), headers=admin)
    assert response.json()["error"] == "out_of_scope"
    listed = [u["username"] for u in client.get("/api/v1/users", headers=admin).json()]
    assert listed == ["admin_p2", "officer_c3"]


def test_role_needs_its_scope_kind(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    body = _user(world, "wrong", scope_kind="province", province_id=world.province_ids[0])
    assert client.post("/api/v1/users", json=body, headers=admin).json()["error"] == (
        "invalid_request"
    )


def test_duplicate_username_conflicts(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    response = client.post("/api/v1/users", json=_user(world, "enumerator"), headers=admin)
    assert (response.status_code, response.json()["error"]) == (409, "conflict")


def test_non_admins_cannot_manage_users(client: TestClient, world: World) -> None:
    officer = login(client, "commune_officer")
    assert client.get("/api/v1/users", headers=officer).json()["error"] == "forbidden"
