"""On a fresh demo commune the reports reproduce seed 000's end-2022 figures, in every
format: the hamlet table, the workbook's cells read back, the PDF rendered to PNG."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server.demo.commune import HAMLETS
from server.demo.service import DEMO_PASSWORD, DemoSummary
from server.reports import render, service

# Seed 000: "Cuối năm 2022 số hộ nghèo của thị trấn là 08 hộ = 0,31%, hộ cận nghèo là 34 hộ
# = 1,32%"; its legible per-hamlet cells (households, poor, near-poor; None: illegible).
SEED_000_ROWS = {
    "Khu phố 2": (232, 1, None),
    "KP Nhân Lộ": (341, 2, 2),
    "KP Cao Mật": (248, 1, None),
    "KP Giáng": (246, 1, None),
    "KP Phụng": (None, 1, 1),
    "KP Đún Sơn": (149, 1, 5),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_to_png(pdf: bytes, folder: Path) -> list[Path]:
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(folder / "report.pdf"), str(folder / "page")],
        check=True,
        timeout=60,
    )
    return sorted(folder.glob("page*.png"))


def test_demo_reports_reproduce_seed_000(
    session: Session, demo: DemoSummary, client: TestClient, tmp_path: Path
) -> None:
    table = service.hamlet_table(session, None, demo.commune_id, 2022)

    total = table.total.now
    assert (total.households, total.poor, total.poor_rate) == (2567, 8, 0.31)
    assert (total.near_poor, total.near_poor_rate) == (34, 1.32)
    rows = {row.name: row.now for row in table.rows}
    assert [row.code for row in table.rows] == [h.code for h in HAMLETS]
    for name, (households, poor, near_poor) in SEED_000_ROWS.items():
        found = rows[name]
        assert households is None or found.households == households, name
        assert found.poor == poor, name
        assert near_poor is None or found.near_poor == near_poor, name
    # "KP Nhân Lộ 341 … 2 … 0,59 … 2 … 0,59"; "KP Giáng 246 … 1 … 0,41"
    assert (rows["KP Nhân Lộ"].poor_rate, rows["KP Nhân Lộ"].near_poor_rate) == (0.59, 0.59)
    assert rows["KP Giáng"].poor_rate == 0.41

    lines = list(csv.reader(io.StringIO(render.to_csv(table))))
    assert lines[-1][1:3] == ["Tổng cộng", "2567"]
    assert lines[-1][7:11] == ["8", "0.31", "34", "1.32"]

    # The same through the API, as a workbook whose cells are numbers.
    auth = client.post(
        "/api/v1/auth/login",
        json={"username": "canbo", "password": DEMO_PASSWORD, "device_id": "demo-0001"},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {auth}"}
    base = f"/api/v1/reports/communes/{demo.commune_id}/years/2022"
    answer = client.get(f"{base}/hamlet-table", headers=headers)
    assert answer.status_code == 200
    assert answer.json()["total"]["now"] == {
        "households": 2567,
        "poor": 8,
        "poor_rate": 0.31,
        "near_poor": 34,
        "near_poor_rate": 1.32,
    }
    workbook = client.get(f"{base}/hamlet-table", params={"format": "xlsx"}, headers=headers)
    assert workbook.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(workbook.content))["Bang thon"]
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[1:3] == ["Tổng cộng", 2567]
    assert last[7:11] == [8, 0.31, 34, 1.32]
    nhan_lo = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "KP Nhân Lộ")
    assert nhan_lo[2] == 341
    assert nhan_lo[7:11] == (2, 0.59, 2, 0.59)

    # The annual bundle: every section's sheet, the same figures, the charts embedded.
    annual = client.get(f"{base}/bundles/annual", params={"format": "xlsx"}, headers=headers)
    assert annual.status_code == 200
    assert "hamlet_table;dur=" in annual.headers["server-timing"]
    book = load_workbook(io.BytesIO(annual.content))
    assert {"Bang thon", "Chi tieu", "Dich vu", "Thieu hut", "M0", "Danh sach", "Bieu do"} <= set(
        book.sheetnames
    )
    targets = book["Chi tieu"]
    assert [c.value for c in targets[3]][:4] == ["Toàn xã", "Hộ nghèo", 0, 0.0]
    assert [c.value for c in targets[3]][6:8] == [8, 0.31]
    listed = {row[0] for row in book["Danh sach"].iter_rows(min_row=3, values_only=True)}
    assert len(listed) == 42
    assert len(getattr(book["Bieu do"], "_images")) == 3  # noqa: B009 (private, untyped)
    m0: list[Any] = [c.value for c in book["M0"][3]]
    assert m0[0] == "Thị trấn Vĩnh Lộc (demo)"
    assert m0[7] == pytest.approx(m0[5] * m0[6], abs=1e-4)

    # The PDF renders; its pages are looked at as PNG when poppler is installed.
    pdf = client.get(f"{base}/bundles/annual", headers=headers)
    assert pdf.content.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed: PDF not rendered to PNG")
    pages = _pdf_to_png(pdf.content, tmp_path)
    assert len(pages) >= 3
    assert all(p.stat().st_size > 5_000 for p in pages)
