"""Bad input answers a 4xx in the catalog's shape, never a 500: NUL characters, oversized
chunked bodies, a class decided with no survey behind it, and SQLite under concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.security import Security
from server.db import make_engine, make_session_factory
from server.households.models import Classification
from server.households.service import stand_for_year
from server.migrate import upgrade
from server.settings import Settings
from tests.server.conftest import PASSWORD, World, login, make_world


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/households", {"code": "NUL-1", "head_name": "Lê\u0000Văn"}),
        ("POST", "/api/v1/households", {"code": "NUL\u00002", "head_name": "Lê Văn"}),
        (
            "POST",
            "/api/v1/households",
            {
                "code": "NUL-3",
                "head_name": "Lê Văn",
                "members": [{"member_no": "1", "full_name": "Lò\u0000Thị"}],
            },
        ),
        ("GET", "/api/v1/households?q=a%00b", None),
        ("GET", "/api/v1/members?q=%00", None),
    ],
)
def test_a_nul_character_is_refused_anywhere(
    client: TestClient, world: World, method: str, path: str, body: dict[str, object] | None
) -> None:
    if body is not None:
        body = {"hamlet_id": world.hamlets["A"].id, **body}
    response = client.request(method, path, json=body, headers=login(client, "enumerator"))
    assert (response.status_code, response.json()["error"]) == (422, "invalid_text")
    assert response.json()["message"]


def test_an_escaped_backslash_before_u0000_is_text_not_nul(
    client: TestClient, world: World
) -> None:
    made = client.post(
        "/api/v1/households",
        content=f'{{"hamlet_id": {world.hamlets["A"].id}, "code": "BS-1", '
        '"head_name": "Lê \\\\u0000 Văn"}',
        headers={**login(client, "enumerator"), "Content-Type": "application/json"},
    )
    assert made.status_code == 201, made.json()
    assert made.json()["head_name"] == "Lê \\u0000 Văn"


def test_a_chunked_body_over_the_limit_is_payload_too_large(
    client: TestClient, world: World, settings: Settings
) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b" " * 1_000_000

    response = client.post(
        "/api/v1/households",
        content=chunks(),
        headers={**login(client, "enumerator"), "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert (response.status_code, response.json()["error"]) == (413, "payload_too_large")


@pytest.mark.parametrize("path", ["/api/v1/households/{}", "/api/v1/review/cases/{}"])
@pytest.mark.parametrize("value", [2**63, 2**70, -1, 0])
def test_ids_beyond_the_integer_range_are_refused(
    client: TestClient, world: World, path: str, value: int
) -> None:
    response = client.get(path.format(value), headers=login(client, "commune_officer"))
    assert (response.status_code, response.json()["error"]) == (422, "invalid_request")


def test_a_class_decided_without_a_survey_is_shown(
    client: TestClient, world: World, session: Session
) -> None:
    """What recognising an average-living household leaves: a decision with no engine result."""
    household = world.households["B"]
    decided = {"decision_number": "7/QĐ-UBND", "decision_date": "2023-12-08"}
    row = Classification(
        household_id=household.id,
        year=2023,
        household_class="average",
        standard_id="nd07-2021",
        complete=True,
        deprived=[],
        result={"decision": {**decided, "round_id": 1, "case_id": 1}},
        source="decision",
    )
    session.add(row)
    session.flush()
    stand_for_year(session, SYSTEM, row, **decided)
    session.commit()
    shown = client.get(
        f"/api/v1/households/{household.id}", headers=login(client, "commune_officer")
    )
    assert shown.status_code == 200, shown.json()
    assert shown.json()["latest"]["household_class"] == "average"
    assert shown.json()["latest"]["decision"]["decision_number"] == "7/QĐ-UBND"


WRITERS = 8


def test_sqlite_writers_queue_instead_of_failing(
    tmp_path: Path, settings: Settings, security: Security
) -> None:
    """Eight tablets writing at once: every write lands, none answers 500."""
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        world = make_world(session, security)
    app = create_app(settings.model_copy(update={"database_url": url}), factory)
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def write(number: int) -> None:
        with TestClient(app) as client:
            start.wait()
            signed = client.post(
                "/api/v1/auth/login",
                json={
                    "username": "commune_officer",
                    "password": PASSWORD,
                    "device_id": f"busy-device-{number}",
                },
            )
            statuses.append(signed.status_code)
            if signed.status_code != 200:
                return
            me = {"Authorization": f"Bearer {signed.json()['access_token']}"}
            for step in range(5):
                made = client.post(
                    "/api/v1/households",
                    json={
                        "hamlet_id": world.hamlets["A"].id,
                        "code": f"Q-{number}-{step}",
                        "head_name": "Đinh Văn Sơn",
                    },
                    headers=me,
                )
                statuses.append(made.status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert sorted(statuses) == [200] * WRITERS + [201] * (WRITERS * 5)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/households", 200),
        ("/api/v1/households/{household}", 200),
        ("/api/v1/households?q=a%00b", 422),
        ("/api/v1/nowhere", 404),
        ("/health", 200),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, world: World, path: str, status: int
) -> None:
    response = client.get(
        path.format(household=world.households["A"].id), headers=login(client, "enumerator")
    )
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
