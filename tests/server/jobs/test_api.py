"""The job queue through the API: a job started answers 202 at once, its progress and result
are read back by the user who started it (and nobody else), its file only once it is whole;
a failing job ends failed with a catalog error. The worker runs in the test's thread on the
test's rolled-back connection (``heartbeat=False``: one connection, one thread)."""

from __future__ import annotations

import io
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.imports.values import Cell
from server.jobs.worker import Worker
from tests.server.conftest import World, login, round_with_applicant
from tests.server.imports.sheets import csv_file

HEADINGS = ["Thôn", "Mã hộ", "Họ tên thành viên", "Ngày sinh", "Giới tính", "Quan hệ", "Loại hộ"]
ROWS: list[list[Cell]] = [
    ["Khu phố 1", "JOB-1", "Đỗ Văn Hải", "1980-04-02", "nam", "chủ hộ", "cận nghèo"],
    ["KP2", "JOB-2", "Vũ Thị Lan", "7/8/1975", "Nữ", "Chủ hộ", "Không nghèo"],
]


def worker(app: FastAPI) -> Worker:
    return Worker(app.state.session_factory, heartbeat=False)


def test_bundle_job_runs_to_a_file_only_its_starter_reads(
    app: FastAPI, client: TestClient, world: World
) -> None:
    officer = login(client, "commune_officer")
    started = client.post(
        "/api/v1/jobs/report-bundles",
        json={"commune_id": world.commune_ids[0], "year": 2022, "kind": "annual"},
        headers=officer,
    )
    assert started.status_code == 202, started.json()
    job = started.json()
    assert started.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["state"], job["stage"], job["stage_text"]) == (
        "queued",
        "queued",
        "Đang chờ đến lượt",
    )
    assert job["download"] is None
    early = client.get(f"/api/v1/jobs/{job['id']}/result", headers=officer)
    assert (early.status_code, early.json()["error"]) == (409, "job_not_done")

    assert worker(app).run_until_empty() == [job["id"]]

    done = client.get(f"/api/v1/jobs/{job['id']}", headers=officer).json()
    assert (done["state"], done["stage_text"], done["attempts"]) == ("done", "Xong", 1)
    assert done["done"] == done["total"] == 7
    assert done["download"] == f"/api/v1/jobs/{job['id']}/result"
    english = client.get(f"/api/v1/jobs/{job['id']}", headers={**officer, "Accept-Language": "en"})
    assert english.json()["stage_text"] == "Done"
    pdf = client.get(done["download"], headers=officer)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The same commune's chair, another commune's officer, the province: not theirs.
    for other in ("commune_chair", "officer_c2", "province_viewer", "hamlet_head"):
        headers = login(client, other)
        assert client.get(f"/api/v1/jobs/{job['id']}", headers=headers).status_code == 404
        assert client.get(done["download"], headers=headers).status_code == 404


def test_a_job_outside_the_scope_is_refused_when_started(client: TestClient, world: World) -> None:
    body = {"commune_id": world.commune_ids[0], "year": 2022, "kind": "annual"}
    other = client.post(
        "/api/v1/jobs/report-bundles", json=body, headers=login(client, "officer_c2")
    )
    assert (other.status_code, other.json()["error"]) == (403, "out_of_scope")
    hamlet = client.post(
        "/api/v1/jobs/report-bundles", json=body, headers=login(client, "hamlet_head")
    )
    assert (hamlet.status_code, hamlet.json()["error"]) == (403, "forbidden")
    unknown = client.post(
        "/api/v1/jobs/report-bundles",
        json={**body, "kind": "weekly"},
        headers=login(client, "commune_officer"),
    )
    assert (unknown.status_code, unknown.json()["error"]) == (422, "invalid_request")


def test_paper_batch_of_a_hamlet_for_its_head_only(
    app: FastAPI, client: TestClient, world: World
) -> None:
    round_id, case_id = round_with_applicant(client, world, "device-papers")
    head = login(client, "hamlet_head")
    elsewhere = client.post(
        "/api/v1/jobs/paper-batches",
        json={"round_id": round_id, "hamlet_id": world.hamlets["B"].id},
        headers=head,
    )
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (403, "out_of_scope")
    whole = client.post("/api/v1/jobs/paper-batches", json={"round_id": round_id}, headers=head)
    assert (whole.status_code, whole.json()["error"]) == (403, "out_of_scope")

    officer = login(client, "commune_officer", "device-papers")
    started = client.post(
        "/api/v1/jobs/paper-batches",
        json={"round_id": round_id, "hamlet_id": world.hamlets["B"].id},
        headers=officer,
    )
    assert started.status_code == 202, started.json()
    worker(app).run_until_empty()
    done = client.get(f"/api/v1/jobs/{started.json()['id']}", headers=officer).json()
    assert done["state"] == "done", done
    archive = client.get(done["download"], headers=officer)
    assert archive.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert names == [f"KP2/giay-de-nghi-{case_id}.pdf"]
    # Hamlet A's head may not read the officer's batch of hamlet B.
    assert client.get(done["download"], headers=head).status_code == 404


def _import(client: TestClient, world: World, data: bytes, commit: bool) -> int:
    started = client.post(
        "/api/v1/jobs/household-imports",
        data={"commune_id": str(world.commune_ids[0]), "year": "2025", "commit": str(commit)},
        files={"file": ("danh-sach.csv", data, "text/csv")},
        headers=login(client, "commune_officer"),
    )
    assert started.status_code == 202, started.json()
    job_id: int = started.json()["id"]
    return job_id


def test_import_job_previews_then_commits(app: FastAPI, client: TestClient, world: World) -> None:
    data = csv_file(HEADINGS, ROWS)
    preview = _import(client, world, data, commit=False)
    committed = _import(client, world, data, commit=True)
    worker(app).run_until_empty()
    officer = login(client, "commune_officer")
    first = client.get(f"/api/v1/jobs/{preview}", headers=officer).json()
    assert first["state"] == "done"
    assert first["download"] is None
    assert first["result"]["committed"] is False
    assert first["result"]["counts"] == {"create": 2, "update": 0, "unchanged": 0, "refused": 0}
    second = client.get(f"/api/v1/jobs/{committed}", headers=officer).json()
    assert second["result"]["committed"] is True
    found = client.get("/api/v1/households", params={"q": "do van hai"}, headers=officer).json()
    assert [h["code"] for h in found["items"]] == ["JOB-1"]


def test_a_refused_import_ends_failed_with_its_catalog_error(
    app: FastAPI, client: TestClient, world: World
) -> None:
    rows = [list(row) for row in ROWS]
    rows[0][3] = "30/02/1980"
    job_id = _import(client, world, csv_file(HEADINGS, rows), commit=True)
    worker(app).run_until_empty()
    officer = {**login(client, "commune_officer"), "Accept-Language": "en"}
    failed = client.get(f"/api/v1/jobs/{job_id}", headers=officer).json()
    assert (failed["state"], failed["stage"]) == ("failed", "failed")
    assert failed["error"]["error"] == "import_refused"
    assert failed["error"]["message"].startswith("Nothing imported: 1 rows refused")
    assert [r["row"] for r in failed["error"]["detail"]["refusals"]] == [2]
    result = client.get(f"/api/v1/jobs/{job_id}/result", headers=officer)
    assert (result.status_code, result.json()["error"]) == (409, "job_not_done")
    found = client.get("/api/v1/households", params={"q": "do van hai"}, headers=officer).json()
    assert found["total"] == 0
