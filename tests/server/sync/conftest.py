"""Sync fixtures: the app with photos in a temporary data folder, and helpers to push and pull
as a device."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection

from server.app import create_app
from server.settings import Settings
from tests.server.conftest import _factory, login


@pytest.fixture
def app(settings: Settings, connection: Connection, tmp_path: Path) -> FastAPI:
    return create_app(settings.model_copy(update={"data_dir": tmp_path}), _factory(connection))


def push(client: TestClient, headers: dict[str, str], *records: dict[str, Any]) -> list[Any]:
    """Push records and return their outcomes."""
    response = client.post("/api/v1/sync/push", json={"records": list(records)}, headers=headers)
    assert response.status_code == 200, response.json()
    outcomes: list[Any] = response.json()["outcomes"]
    return outcomes


def pull_all(
    client: TestClient, headers: dict[str, str], cursor: str | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Pull until current; return every item and the last cursor."""
    items: list[dict[str, Any]] = []
    while True:
        params = {"cursor": cursor} if cursor else {}
        response = client.get("/api/v1/sync/pull", params=params, headers=headers)
        assert response.status_code == 200, response.json()
        page = response.json()
        items += page["items"]
        cursor = page["cursor"]
        if not page["more"]:
            return items, str(cursor)


def edit(
    household_id: int, version: int, changes: dict[str, Any], base: dict[str, Any]
) -> dict[str, Any]:
    return {
        "kind": "household.edit",
        "id": str(uuid.uuid4()),
        "household_id": household_id,
        "base_version": version,
        "set": changes,
        "base": base,
    }


def households(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["k"]: i for i in items if i["e"] == "household"}


__all__ = ["edit", "households", "login", "pull_all", "push"]
