"""The lease, in one process: a job whose worker stopped renewing is taken again by the next,
the worker that lost it cannot end it (its file is dropped, never half of one served), and a
job that loses its worker every time ends failed with ``job_abandoned``."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.jobs.tasks import Made
from server.jobs.worker import LeaseLostError, Worker, _Beat
from tests.server.conftest import World, login

LEASE = 0.05


def _queue(client: TestClient, world: World) -> tuple[int, dict[str, str]]:
    officer = login(client, "commune_officer")
    started = client.post(
        "/api/v1/jobs/report-bundles",
        json={"commune_id": world.commune_ids[0], "year": 2022, "kind": "six_monthly"},
        headers=officer,
    )
    assert started.status_code == 202, started.json()
    return started.json()["id"], officer


def _worker(app: FastAPI, max_attempts: int = 3) -> Worker:
    return Worker(
        app.state.session_factory, lease_seconds=LEASE, max_attempts=max_attempts, heartbeat=False
    )


def test_a_job_whose_lease_ran_out_is_taken_again_and_its_first_worker_cannot_end_it(
    app: FastAPI, client: TestClient, world: World
) -> None:
    job_id, officer = _queue(client, world)
    first = _worker(app)
    lost = first.claim()
    assert lost is not None
    # The first worker stops renewing (it hangs, or died); the lease runs out.
    time.sleep(LEASE * 2)
    second = _worker(app)
    assert second.run_one() == job_id
    done = client.get(f"/api/v1/jobs/{job_id}", headers=officer).json()
    assert (done["state"], done["attempts"]) == ("done", 2)
    whole = client.get(done["download"], headers=officer).content
    # The first worker wakes up with its own file: the job is not its any more.
    with app.state.session_factory() as session, pytest.raises(LeaseLostError):
        first._complete(session, lost, _Beat(), Made(file=("half.pdf", "application/pdf", b"%PDF")))
    assert client.get(done["download"], headers=officer).content == whole


def test_a_job_that_loses_its_worker_every_time_ends_abandoned(
    app: FastAPI, client: TestClient, world: World
) -> None:
    job_id, officer = _queue(client, world)
    worker = _worker(app, max_attempts=2)
    for _ in range(2):
        assert worker.claim() is not None
        time.sleep(LEASE * 2)
    assert worker.claim() is None
    failed = client.get(f"/api/v1/jobs/{job_id}", headers=officer).json()
    assert (failed["state"], failed["attempts"]) == ("failed", 2)
    assert failed["error"]["error"] == "job_abandoned"
    assert failed["error"]["message"] == (
        f"Việc số {job_id} bị dừng giữa chừng 2 lần (máy chạy nền ngừng); hãy chạy lại"
    )
