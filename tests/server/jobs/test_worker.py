"""The worker in its own process (``rasoat worker``), as a deployment runs it: it takes a job
the API queued and runs it to its file while the API reads its progress; a worker killed in
the middle of a job loses it to the next once its lease runs out; ``rasoat report bundle
--wait`` shows the progress of a report the worker makes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.server.reports.conftest import DemoRows

LEASE_SECONDS = 2
RASOAT = [sys.executable, "-c", "from server.cli.main import app; app()"]


def _env(url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RASOAT_DATABASE_URL": url,
        "RASOAT_DATA_DIR": str(data_dir),
        "RASOAT_DEMO": "1",
        "RASOAT_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    }


@contextmanager
def worker(url: str, data_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``rasoat worker`` for the block; stop it (SIGTERM) at its end."""
    process = subprocess.Popen(
        [*RASOAT, "worker"],
        env=_env(url, data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        assert process.stderr is not None
        process.stderr.close()


@contextmanager
def api(url: str, data_dir: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """Yield a client of the API on the database and the demo commune officer's headers."""
    settings = Settings(
        demo=True, database_url=url, data_dir=data_dir, password_time_cost=1, jobs_in_process=False
    )
    with TestClient(create_app(settings)) as client:
        signed = client.post(
            "/api/v1/auth/login",
            json={"username": "canbo", "password": "rasoat-demo", "device_id": "jobs-test"},
        )
        assert signed.status_code == 200, signed.json()
        yield client, {"Authorization": f"Bearer {signed.json()['access_token']}"}


def _start(client: TestClient, headers: dict[str, str], commune_id: int) -> int:
    started = client.post(
        "/api/v1/jobs/report-bundles",
        json={"commune_id": commune_id, "year": 2022, "kind": "annual"},
        headers=headers,
    )
    assert started.status_code == 202, started.json()
    job_id: int = started.json()["id"]
    return job_id


def _watch(
    client: TestClient, headers: dict[str, str], job_id: int, until: Any, seconds: float = 120
) -> list[dict[str, Any]]:
    """Read the job every 100 ms until ``until(job)``; return every state seen."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if not seen or job != seen[-1]:
            seen.append(job)
        if until(job):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {seen[-1]} after {seconds} s")


def _finished(job: dict[str, Any]) -> bool:
    return job["state"] in ("done", "failed")


def test_worker_process_runs_a_bundle_while_its_progress_is_read(
    committed_url: str, data_dir: Path, demo_rows: DemoRows
) -> None:
    with api(committed_url, data_dir) as (client, headers):
        job_id = _start(client, headers, demo_rows.summary.commune_id)
        with worker(committed_url, data_dir):
            seen = _watch(client, headers, job_id, _finished)
        done = seen[-1]
        assert (done["state"], done["attempts"], done["done"], done["total"]) == ("done", 1, 7, 7)
        midway = [j for j in seen if j["state"] == "running" and 0 < j["done"] < j["total"]]
        assert midway, seen
        assert all(j["download"] is None for j in seen[:-1])
        assert {j["stage_text"] for j in midway} <= {
            "Lập bảng theo thôn",
            "Tính tiến độ chỉ tiêu",
            "Thống kê thiếu hụt",
            "Lập danh sách hộ",
            "Số liệu các năm",
            "Vẽ biểu đồ",
            "Xuất tệp",
        }
        pdf = client.get(done["download"], headers=headers)
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
        assert pdf.content.rstrip().endswith(b"%%EOF")


def test_a_killed_workers_job_is_taken_again_once_its_lease_runs_out(
    committed_url: str, data_dir: Path, demo_rows: DemoRows
) -> None:
    with api(committed_url, data_dir) as (client, headers):
        job_id = _start(client, headers, demo_rows.summary.commune_id)
        with worker(committed_url, data_dir) as first:
            seen = _watch(client, headers, job_id, lambda j: j["done"] >= 1 or _finished(j))
            first.kill()
            first.wait()
        assert seen[-1]["state"] == "running", seen[-1]
        killed_at = time.monotonic()
        # Nobody holds it now, and nobody finishes it: its lease still runs.
        held = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        assert (held["state"], held["attempts"]) == ("running", 1)
        with worker(committed_url, data_dir):
            done = _watch(client, headers, job_id, _finished)[-1]
        assert time.monotonic() - killed_at >= LEASE_SECONDS - 0.5
        assert (done["state"], done["attempts"]) == ("done", 2)
        pdf = client.get(done["download"], headers=headers)
        assert pdf.content.startswith(b"%PDF")
        assert pdf.content.rstrip().endswith(b"%%EOF")


def test_report_bundle_wait_shows_the_progress_of_the_worker(
    committed_url: str, data_dir: Path
) -> None:
    out = data_dir / "bao-cao.pdf"
    with worker(committed_url, data_dir):
        made = subprocess.run(
            [
                *RASOAT,
                "report",
                "bundle",
                "--commune",
                "DEMO-VL",
                "--year",
                "2022",
                "--kind",
                "six_monthly",
                "--wait",
                "--out",
                str(out),
            ],
            env=_env(committed_url, data_dir),
            capture_output=True,
            timeout=180,
        )
    shown = made.stderr.decode()
    assert made.returncode == 0, shown
    assert "Đã xếp việc số" in shown
    assert "] 7/7 Xong" in shown
    assert "Vẽ biểu đồ" in shown or "Xuất tệp" in shown
    assert out.read_bytes().startswith(b"%PDF")
