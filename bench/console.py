"""Server time of the web console's heaviest pages on the demo commune (SQLite, as
``rasoat serve --demo`` runs it).

Builds the demo commune (2,567 households in 10 khu phố) in a fresh data folder, opens its
2023 annual round (42 listed households), lists applicants until the round holds 300 cases,
sends a survey for each through the JSON API and collects them, then times in-process (the
ASGI app through Starlette's test client, no network):

- ``queue_page``: the console's review queue of the 300 cases (HTML), against its baseline
  ``queue_api``, the JSON API's queue of the same round;
- ``map_data``: the console's GeoJSON of the commune's 2,567 households and 10 boundaries,
  against ``households_api``, the same households read through the JSON API's paged list
  (200 a page, as a client must).

Each figure is the median of the runs (``--quick``: 3, else 20). Targets: 300 ms each.

Usage: python -m bench.console [--quick]. The last line is ``RESULT key=value …``.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from server.app import create_app
from server.auth.security import Security
from server.db import make_engine, make_session_factory
from server.demo.population import random_household
from server.demo.service import DEMO_PASSWORD, build_demo
from server.migrate import upgrade
from server.settings import Settings

CASES = 300
TARGET_MS = 300.0


def _median_ms(action: Callable[[], None], runs: int) -> float:
    action()  # warm the caches (templates, statements) once, as a running server has
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _ok(response: Any) -> Any:
    assert response.status_code < 300, response.text[:300]
    return response.json() if "json" in response.headers.get("content-type", "") else response


def _prepare(client: TestClient) -> tuple[int, dict[str, str]]:
    """Open the round, fill it to 300 surveyed cases; return its id and the API header."""
    tokens = _ok(
        client.post(
            "/api/v1/auth/login",
            json={"username": "canbo", "password": DEMO_PASSWORD, "device_id": "bench-console"},
        )
    )
    api = {"Authorization": f"Bearer {tokens['access_token']}"}
    commune = _ok(client.get("/api/v1/communes", headers=api))[0]
    round_ = _ok(
        client.post(
            "/api/v1/review/rounds", json={"commune_id": commune["id"], "year": 2023}, headers=api
        )
    )
    listed = {c["household_id"] for c in _ok(client.get("/api/v1/review/cases", headers=api))}
    page = 1
    while len(listed) < CASES:
        households = _ok(
            client.get("/api/v1/households", params={"page": page, "page_size": 200}, headers=api)
        )
        for household in households["items"]:
            if len(listed) >= CASES or household["id"] in listed:
                continue
            _ok(
                client.post(
                    f"/api/v1/review/rounds/{round_['id']}/cases",
                    json={"household_id": household["id"], "application": "form01"},
                    headers=api,
                )
            )
            listed.add(household["id"])
        page += 1
    rng = random.Random(18)
    for case in _ok(client.get("/api/v1/review/cases", headers=api)):
        answers = random_household(
            rng, case["household_code"], date(2023, 10, 2), "urban", "near_poor"
        )
        _ok(
            client.post(
                "/api/v1/surveys",
                json={
                    "survey_uuid": str(uuid.uuid4()),
                    "household_id": case["household_id"],
                    "form_id": "rasoat.household/1",
                    "form_version": 1,
                    "answers": answers,
                },
                headers=api,
            )
        )
    moved = _ok(client.post(f"/api/v1/review/rounds/{round_['id']}/collect", headers=api))
    assert len(moved) == CASES, len(moved)
    return int(round_["id"]), api


def _sign_in(client: TestClient) -> None:
    form = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    signed = client.post(
        "/signin",
        data={"username": "canbo", "password": DEMO_PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text[:300]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per figure instead of 20")
    args = parser.parse_args()
    runs = 3 if args.quick else 20
    with tempfile.TemporaryDirectory(prefix="bench-console-") as folder:
        settings = Settings(
            data_dir=Path(folder), demo=True, password_time_cost=1, password_memory_kib=1024
        )
        started = time.perf_counter()
        upgrade(settings.resolved_database_url)
        engine = make_engine(settings.resolved_database_url)
        with make_session_factory(engine)() as session:
            summary = build_demo(session, Security(settings))
            session.commit()
        app = create_app(settings, make_session_factory(engine))
        with TestClient(app) as client:
            round_id, api = _prepare(client)
            print(
                f"set-up: demo commune and {CASES} surveyed cases in "
                f"{time.perf_counter() - started:.1f} s"
            )
            _sign_in(client)

            def queue_page() -> None:
                response = client.get(f"/rounds/{round_id}/queue")
                assert response.status_code == 200
                assert response.text.count('name="case_id"') == CASES

            def queue_api() -> None:
                assert (
                    len(_ok(client.get(f"/api/v1/review/rounds/{round_id}/queue", headers=api)))
                    == CASES
                )

            def map_data() -> None:
                body = _ok(client.get("/map/data"))
                assert len(body["households"]["features"]) == summary.households

            def households_api() -> None:
                seen, page = 0, 1
                while seen < summary.households:
                    listed = _ok(
                        client.get(
                            "/api/v1/households",
                            params={"page": page, "page_size": 200},
                            headers=api,
                        )
                    )
                    seen, page = seen + len(listed["items"]), page + 1

            figures = {
                "queue_page_ms": _median_ms(queue_page, runs),
                "queue_api_ms": _median_ms(queue_api, runs),
                "map_data_ms": _median_ms(map_data, runs),
                "households_api_ms": _median_ms(households_api, runs),
            }
        engine.dispose()
    for name, value in figures.items():
        print(f"{name:>18}: {value:8.1f} ms")
    within = figures["queue_page_ms"] <= TARGET_MS and figures["map_data_ms"] <= TARGET_MS
    print(
        "RESULT "
        + " ".join(f"{name}={value:.1f}" for name, value in figures.items())
        + f" cases={CASES} households={summary.households} target_ms={TARGET_MS:.0f}"
        + f" within_target={'yes' if within else 'no'}"
    )


if __name__ == "__main__":
    main()
