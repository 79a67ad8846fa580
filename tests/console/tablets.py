"""What the tablets and the JSON API do around the console in the browser tests: surveys
sent by enumerators, a hamlet meeting recorded by the hamlet head, over real HTTP."""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import date
from io import BytesIO
from typing import Any

import httpx
from PIL import Image

from server.demo.population import Target, random_household
from server.demo.service import DEMO_PASSWORD

SURVEYED_ON = date(2023, 10, 2)


class Api:
    """A JSON API client signed in as one demo login."""

    def __init__(self, base_url: str, username: str) -> None:
        self.http = httpx.Client(base_url=f"{base_url}/api/v1", timeout=60)
        tokens = self.call(
            "POST",
            "/auth/login",
            json={
                "username": username,
                "password": DEMO_PASSWORD,
                "device_id": f"test-{username}-{uuid.uuid4().hex[:8]}",
                "device_name": "test",
            },
        )
        self.http.headers["Authorization"] = f"Bearer {tokens['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code < 300, (method, path, response.text)
        return response.json() if response.content else None


def upload_photo(api: Api, household_id: int, colour: tuple[int, int, int]) -> str:
    """Upload a JPEG of the household's house as the tablet does; return its SHA-256."""
    image = BytesIO()
    Image.new("RGB", (640, 480), colour).save(image, "JPEG")
    body = image.getvalue()
    sha256 = hashlib.sha256(body).hexdigest()
    api.call(
        "PUT",
        f"/sync/photos/{sha256}",
        params={"household_id": household_id, "offset": 0, "size": len(body)},
        content=body,
        headers={"Content-Type": "application/octet-stream"},
    )
    return sha256


def survey(
    household_id: int,
    code: str,
    target: Target,
    seed: int = 0,
    photos: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Return a survey of the household that classifies it as ``target``."""
    answers = random_household(
        random.Random(f"console-{code}-{seed}"), code, SURVEYED_ON, "urban", target
    )
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": household_id,
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": answers,
        "location": {"latitude": 20.0285, "longitude": 105.619, "accuracy_m": 8},
        "photos": photos or [],
    }


def survey_every_case(api: Api, round_id: int) -> list[dict[str, Any]]:
    """Send a survey for every listed case of the round, keeping its class (the first
    near-poor household drops out of the lists); return the cases."""
    cases: list[dict[str, Any]] = api.call("GET", "/review/cases", params={"round_id": round_id})
    dropped = False
    for case in cases:
        target: Target = case["listed_because"]
        if target == "near_poor" and not dropped:
            target, dropped = "not_poor", True
        api.call(
            "POST",
            "/surveys",
            json=survey(case["household_id"], case["household_code"], target),
        )
    return cases
