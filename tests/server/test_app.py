"""The application shell: health, OpenAPI, the one error shape, languages, body limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from server.app import create_app
from server.errors import STATUS
from server.settings import Settings
from shared.errors import ErrorCode


def test_health_answers_with_the_database(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_lists_versioned_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/households" in paths
    assert all(path.startswith("/api/v1/") or path == "/health" for path in paths)
    assert client.get("/docs").status_code == 200


def test_every_error_code_has_one_status() -> None:
    assert set(STATUS) == set(ErrorCode)


def test_unknown_route_answers_not_found_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert set(response.json()) == {"error", "message", "detail"}
    assert response.json()["error"] == "not_found"


def test_wrong_method_answers_method_not_allowed(client: TestClient) -> None:
    assert client.delete("/health").json()["error"] == "method_not_allowed"


def test_messages_follow_accept_language(client: TestClient) -> None:
    vi = client.get("/api/v1/auth/me").json()["message"]
    en = client.get("/api/v1/auth/me", headers={"Accept-Language": "en-US,en;q=0.9"}).json()
    assert vi == "Cần đăng nhập"
    assert en["message"] == "Sign-in required"


def test_malformed_json_is_invalid_json(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_json")


def test_invalid_body_is_invalid_request(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "x"})
    assert (response.status_code, response.json()["error"]) == (422, "invalid_request")


def test_oversized_body_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/classify", content=b"[" + b" " * 2_100_000 + b"]")
    assert (response.status_code, response.json()["error"]) == (413, "payload_too_large")


def test_default_secret_is_refused_outside_demo_mode() -> None:
    with pytest.raises(ValueError, match="RASOAT_SECRET_KEY"):
        create_app(Settings(demo=False))
    with pytest.raises(ValidationError, match="32 characters"):
        Settings(secret_key="short")
    Settings(demo=False, secret_key="x" * 40).check_secret()


def test_default_database_is_sqlite_in_the_data_folder(tmp_path: object) -> None:
    settings = Settings(demo=True, data_dir="/srv/rasoat")
    assert settings.resolved_database_url == "sqlite:////srv/rasoat/rasoat.sqlite3"
