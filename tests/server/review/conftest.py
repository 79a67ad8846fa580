"""A small commune for the review round: the conftest world (commune 1 with Khu phố 1 and 2)
plus households on the 2022 lists; the demo commune (built once per session, as the reports
tests do); and helpers to drive the API."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.auth.security import Security
from server.demo.population import Target, random_household
from server.geography.models import Hamlet
from server.households.models import Household
from server.households.service import MemberData, record_classification, register_household
from shared.engine import classify, parse_household
from tests.server.conftest import PASSWORD, World, make_world
from tests.server.reports.conftest import demo, demo_rows  # noqa: F401 (fixtures used here)

# Household key: (hamlet, class on the 2022 lists).
LISTED_2022: dict[str, tuple[str, Target]] = {
    "A-poor": ("A", "poor"),
    "A-near": ("A", "near_poor"),
    "A-exits": ("A", "poor"),
    "B-near": ("B", "near_poor"),
    "B-poor": ("B", "poor"),
}
# The world's own HH-A (poor in 2022) is listed too; HH-B (not poor) applies with Form 01.
SURVEY_2023: dict[str, Target] = {
    "HH-A": "poor",
    "A-poor": "poor",
    "A-near": "poor",
    "A-exits": "not_poor",
    "B-near": "near_poor",
    "B-poor": "near_poor",
    "HH-B": "poor",
}
SURVEY_DATE = date(2023, 10, 2)


@dataclass
class Commune:
    world: World
    households: dict[str, Household]

    def household_id(self, code: str) -> int:
        return self.households[code].id


def household_of_2022(
    session: Session, rng: random.Random, hamlet: Hamlet, code: str, target: Target
) -> Household:
    """Register a two-member household in ``hamlet`` classified ``target`` for 2022."""
    household = register_household(
        session,
        SYSTEM,
        hamlet,
        code,
        f"Nguyễn Thị Hường {code}",
        f"Ngõ {code}, {hamlet.name}",
        members=[
            MemberData("1", f"Nguyễn Thị Hường {code}", date(1970, 3, 8), "female", "head"),
            MemberData("2", "Đặng Văn Lực", date(1968, 7, 1), "male", "spouse"),
        ],
    )
    document = random_household(rng, code, date(2022, 12, 15), hamlet.area, target)
    record_classification(
        session, SYSTEM, household, classify(parse_household(document)), 2022, "import"
    )
    return household


@pytest.fixture
def commune(session: Session, security: Security) -> Commune:
    world = make_world(session, security)
    rng = random.Random(7)
    households = {"HH-A": world.households["A"], "HH-B": world.households["B"]}
    for code, (hamlet_key, target) in LISTED_2022.items():
        households[code] = household_of_2022(session, rng, world.hamlets[hamlet_key], code, target)
    session.commit()
    return Commune(world, households)


def survey(commune: Commune, code: str, target: Target, seed: int = 0) -> dict[str, Any]:
    """Return a survey of ``code``'s 2023 survey steered to ``target``."""
    hamlet_id = commune.households[code].hamlet_id
    area = next(h.area for h in commune.world.hamlets.values() if h.id == hamlet_id)
    rng = random.Random(f"{code}-{seed}")
    return {
        "survey_uuid": str(uuid.uuid4()),
        "household_id": commune.household_id(code),
        "form_id": "rasoat.household/1",
        "form_version": 1,
        "answers": random_household(rng, code, SURVEY_DATE, area, target),
    }


class Api:
    """Signed-in callers by username, answering JSON and asserting the status."""

    def __init__(self, client: TestClient, password: str = PASSWORD) -> None:
        self.client = client
        self.password = password
        self.headers: dict[str, dict[str, str]] = {}

    def as_(self, username: str) -> dict[str, str]:
        if username not in self.headers:
            response = self.client.post(
                "/api/v1/auth/login",
                json={
                    "username": username,
                    "password": self.password,
                    "device_id": f"review-{username}",
                },
            )
            assert response.status_code == 200, response.text[:300]
            self.headers[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self.headers[username]

    def call(self, username: str, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(
            method, f"/api/v1{path}", headers=self.as_(username), **kwargs
        )
        assert response.status_code == status, (method, path, response.text[:500])
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.content


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def poppler() -> None:
    """Fail before a paper-reading test starts when poppler-utils is missing (CI installs
    it): a skip at the end of a long test would hide whether all before it passed."""
    missing = [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install -y poppler-utils")


def read_paper(pdf: bytes, name: str, tmp_path: Path, pages: int = 0) -> tuple[str, list[Path]]:
    """Return the PDF's text and its first ``pages`` pages as PNG, to look at. The files are
    kept in $RASOAT_REVIEW_PAPERS when set. Tests calling it take the ``poppler`` fixture."""
    assert pdf.startswith(b"%PDF-")
    out = Path(os.environ.get("RASOAT_REVIEW_PAPERS", str(tmp_path)))
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.pdf"
    path.write_bytes(pdf)
    if pages:
        subprocess.run(
            ["pdftoppm", "-r", "70", "-l", str(pages), "-png", str(path), str(out / name)],
            check=True,
            timeout=60,
        )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text, sorted(out.glob(f"{name}-*.png"))
