"""Appendix VII's forms for the demo commune: the workbook's headings, numbering, figures and
signature block read back cell by cell, the PDF twin rendered to PNG, and the same figures as
the hamlet table."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from server.demo.service import DEMO_PASSWORD, DemoSummary
from server.reports import appendix_vii, service
from shared.standards import load_catalog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _login(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD, "device_id": "papers-01"},
    )
    assert answer.status_code == 200, answer.json()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def png_folder(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Return where a test's pages go: RASOAT_PAPERS_PNG/<test> when set (to look at them
    after the run), else the test's temporary folder."""
    chosen = os.environ.get("RASOAT_PAPERS_PNG")
    return Path(chosen) / re.sub(r"[^\w.-]", "_", request.node.name) if chosen else tmp_path


def render_png(pdf: bytes, folder: Path, stem: str) -> list[Path]:
    """Render every page of ``pdf`` to ``folder/stem-N.png`` (pdftoppm); skip the test when
    poppler is not installed."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed: PDF not rendered to PNG")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    (folder / f"{stem}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(folder / f"{stem}.pdf"), str(folder / stem)],
        check=True,
        timeout=60,
    )
    return sorted(folder.glob(f"{stem}-*.png"))


def test_catalog_names_only_figures_the_reports_compute() -> None:
    standard = load_catalog().for_date(date(2022, 12, 31))
    assert appendix_vii.missing_figures(standard) == []
    assert appendix_vii.form_numbers() == ("7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7")


def test_demo_commune_forms_as_workbook_and_pdf(
    session: Session,
    demo: DemoSummary,
    client: TestClient,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    headers = _login(client, "canbo")
    base = f"/api/v1/reports/communes/{demo.commune_id}/years/2022/appendix-vii"
    answer = client.get(base, params={"period": "annual"}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == [f"Mau 7.{n}" for n in range(1, 8)]
    table = service.hamlet_table(session, None, demo.commune_id, 2022)

    first = book["Mau 7.1"]
    rows = _rows(first)
    assert rows[0][0] == "ỦY BAN NHÂN DÂN THỊ TRẤN VĨNH LỘC (DEMO)"
    assert "Mẫu số 7.1" in rows[0]
    assert any("Thông tư số 07/2021/TT-BLĐTBXH" in str(v) for v in rows[1])
    assert rows[3][0] == "TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2022"
    assert rows[4][0] == (
        "Kỳ báo cáo: năm 2022 (số liệu đến ngày 31/12/2022; hạn gửi ngày 10/11/2022)"
    )
    assert rows[5][0] == "Đơn vị tính: hộ, %"
    assert rows[7][:4] == ["TT", "Thôn, tổ dân phố", "Tổng số hộ dân cư", "Hộ nghèo"]
    assert rows[7][6] == "Hộ cận nghèo"
    assert rows[8][3:9] == [
        "Số hộ",
        "Tỷ lệ (%)",
        "Trong đó: hộ dân tộc thiểu số",
        "Số hộ",
        "Tỷ lệ (%)",
        "Trong đó: hộ dân tộc thiểu số",
    ]
    assert rows[9] == [f"({n})" for n in range(1, 10)]
    assert {"A8:A9", "B8:B9", "C8:C9", "D8:F8", "G8:I8"} <= {
        str(r) for r in first.merged_cells.ranges
    }
    body = rows[10 : 10 + len(table.rows)]
    assert [r[1] for r in body] == [h.name for h in table.rows]
    nhan_lo = next(r for r in body if r[1] == "KP Nhân Lộ")
    assert nhan_lo[2:5] == [341, 2, 0.59]
    assert nhan_lo[6:8] == [2, 0.59]
    total = rows[10 + len(table.rows)]
    assert total[1] == "Tổng cộng"
    assert total[2:5] == [2567, 8, 0.31]
    assert total[6:8] == [34, 1.32]
    assert first.cell(row=11 + len(table.rows), column=5).number_format == "0.00"
    text = [str(v) for row in rows for v in row if v is not None]
    assert "NGƯỜI LẬP BIỂU" in text
    assert "(Ký, ghi rõ họ tên)" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text
    assert "CHỦ TỊCH" in text
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in text
    assert any(v.startswith("Thị trấn Vĩnh Lộc (demo), ngày ") for v in text)

    changes = _rows(book["Mau 7.2"])
    assert changes[7][3] == "Hộ nghèo đầu kỳ"
    assert changes[7][5] == "Diễn biến trong kỳ"
    commune_changes = changes[10 + len(table.rows)]
    assert commune_changes[2:4] == [2567, table.total.start.poor]
    assert commune_changes[5:8] == [
        table.total.changes.exited_poor,
        table.total.changes.fell_back,
        table.total.changes.newly_poor,
    ]
    assert commune_changes[8] == 8

    deprivation = _rows(book["Mau 7.5"])
    standard = load_catalog().for_date(date(2022, 12, 31))
    assert [v for v in deprivation[7][3:] if v] == [
        title["vi"] for title in standard.dimensions.values()
    ]
    assert deprivation[8][3:] == [i.title["vi"] for i in standard.indicators]
    stats = service.deprivations(session, None, demo.commune_id, 2022)
    assert deprivation[10 + len(table.rows)][2:] == [stats.commune.poor] + [
        r.poor for r in stats.commune.indicators
    ]

    one = client.get(
        base, params={"period": "six_monthly", "form": ["7.3"], "format": "pdf"}, headers=headers
    )
    assert one.status_code == 200
    assert one.content.startswith(b"%PDF")
    unknown = client.get(base, params={"form": ["9.9"]}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "unknown_report"

    pdf = client.get(base, params={"format": "pdf"}, headers=headers)
    pages = render_png(pdf.content, png_folder(request, tmp_path), "phu-luc-vii")
    assert len(pages) == 7
    assert all(page.stat().st_size > 10_000 for page in pages)


def test_hamlet_scoped_roles_get_no_commune_forms(demo: DemoSummary, client: TestClient) -> None:
    headers = _login(client, "truongkp1")
    answer = client.get(
        f"/api/v1/reports/communes/{demo.commune_id}/years/2022/appendix-vii", headers=headers
    )
    assert answer.status_code == 403
