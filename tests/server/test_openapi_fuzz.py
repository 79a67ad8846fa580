"""schemathesis against the OpenAPI spec: generated requests, signed in as an enumerator, a
commune officer and an admin in turn, never get a 5xx and every answer matches its declared
schema, on SQLite and PostgreSQL.

Examples per operation: RASOAT_FUZZ_EXAMPLES (6 by default on SQLite, half that on
PostgreSQL, to keep the suite under its time budget; raise it to hunt)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlalchemy import Engine

from server.app import create_app
from server.settings import Settings
from tests.server.conftest import World, login

# The spec only; each test sends its cases to the app bound to the test's database.
SCHEMA = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(demo=True, database_url="sqlite://"))
)
EXAMPLES = int(os.environ.get("RASOAT_FUZZ_EXAMPLES", "6"))
# A hamlet's reader and editor, the commune's officer, the province's administrator.
ROLES = ("enumerator", "commune_officer", "admin")


@pytest.fixture
def callers(
    client: TestClient, world: World, engine: Engine
) -> Callable[[], dict[str, str] | None]:
    """Yield the headers of the next example's caller: the roles in turn, and on PostgreSQL
    None (no request) once half the examples are sent."""
    headers = [login(client, role, f"fuzz-{role}") for role in ROLES]
    budget = EXAMPLES if engine.dialect.name == "sqlite" else max(EXAMPLES // 2, 1)
    turns = itertools.count()

    def next_caller() -> dict[str, str] | None:
        turn = next(turns)
        return headers[turn % len(ROLES)] if turn < budget else None

    return next_caller


@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(
    case: Any, app: FastAPI, callers: Callable[[], dict[str, str] | None]
) -> None:
    headers = callers()
    if headers is None:
        return
    case.call_and_validate(
        app=app, headers=headers, checks=[not_a_server_error, response_schema_conformance]
    )
