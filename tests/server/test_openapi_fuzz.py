"""schemathesis against the OpenAPI spec: generated requests, signed in as a commune officer,
never get a 5xx and every answer matches its declared schema.

Examples per operation: RASOAT_FUZZ_EXAMPLES (6 by default, to keep the suite fast; raise it
to hunt)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from server.app import create_app
from server.settings import Settings
from tests.server.conftest import World, login

# The spec only; each test sends its cases to the app bound to the test's database.
SCHEMA = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(demo=True, database_url="sqlite://"))
)


@pytest.fixture
def officer(client: TestClient, world: World) -> dict[str, str]:
    return login(client, "commune_officer")


@SCHEMA.parametrize()
@settings(
    max_examples=int(os.environ.get("RASOAT_FUZZ_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: Any, app: FastAPI, officer: dict[str, str]) -> None:
    case.call_and_validate(
        app=app, headers=officer, checks=[not_a_server_error, response_schema_conformance]
    )
