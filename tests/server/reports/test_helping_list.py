"""Seed 002's helping-officer list for the demo commune's 51 registered households: every
household with its hamlet, class, officers, organisations, forms of help and progress in
words; a hamlet-scoped reader sees only their hamlets; the PDF rendered to PNG."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server.demo.commune import HAMLETS
from server.demo.service import DemoSummary
from server.demo.support import REGISTERED, YEAR, build_demo_support
from server.documents import labels
from server.reports.helping_files import HEADERS
from tests.server.reports.test_appendix_vii import _login, png_folder, render_png


def _assign_everyone(session: Session, client: TestClient) -> int:
    """Build seed 002's plan in the demo, accept the optimiser's proposal; return the
    commune's id."""
    plan = build_demo_support(session)
    session.commit()
    headers = _login(client, "canbo")
    proposal = client.post(
        "/api/v1/support/proposals",
        json={"commune_id": plan.commune_id, "year": YEAR},
        headers=headers,
    )
    assert proposal.status_code == 201, proposal.json()
    decided = client.post(
        f"/api/v1/support/proposals/{proposal.json()['id']}/decision", json={}, headers=headers
    )
    assert decided.status_code == 200, decided.json()
    return plan.commune_id


def test_the_list_names_every_household_and_its_helpers_in_words(
    session: Session,
    demo: DemoSummary,
    client: TestClient,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    commune_id = _assign_everyone(session, client)
    base = f"/api/v1/reports/communes/{commune_id}/years/{YEAR}/helping-officers"
    answer = client.get(base, headers=_login(client, "canbo"))
    assert answer.status_code == 200, answer.text
    sheet = load_workbook(io.BytesIO(answer.content))["Danh sach phu trach"]
    rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[3][0] == (
        "DANH SÁCH CÁN BỘ, CÔNG CHỨC PHỤ TRÁCH, GIÚP ĐỠ CÁC HỘ ĐĂNG KÝ THOÁT NGHÈO NĂM 2023"
    )
    assert rows[6] == list(HEADERS)
    assert rows[7] == [f"({n})" for n in range(1, len(HEADERS) + 1)]
    households = rows[8 : 8 + REGISTERED]
    assert [r[0] for r in households] == [str(n) for n in range(1, REGISTERED + 1)]
    assert rows[8 + REGISTERED][0] == f"Tổng số: {REGISTERED} hộ."
    assert len({r[3] for r in households}) == 10
    organisations = set(labels.ORGANISATIONS.values())
    for _number, code, head, hamlet, cls, officers, bodies, helps, progress in households:
        assert code
        assert head
        assert hamlet
        assert cls in ("Hộ nghèo", "Hộ cận nghèo")
        assert officers
        assert officers != "Chưa phân công"
        assert set(bodies.split("\n")) <= organisations
        assert helps
        assert "_" not in helps
        assert progress.split(";")[0] in (*labels.STAGES.values(), *labels.EXITED.values())
    hamlet_order = [h.name for h in HAMLETS]
    order = [(hamlet_order.index(r[3]), r[1]) for r in households]
    assert order == sorted(order)

    pdf = client.get(base, params={"format": "pdf"}, headers=_login(client, "canbo"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    pages = render_png(pdf.content, png_folder(request, tmp_path), "danh-sach-phu-trach")
    assert len(pages) >= 2


def test_a_hamlet_scoped_reader_sees_only_their_hamlets(
    session: Session, demo: DemoSummary, client: TestClient
) -> None:
    commune_id = _assign_everyone(session, client)
    base = f"/api/v1/reports/communes/{commune_id}/years/{YEAR}/helping-officers"
    answer = client.get(base, headers=_login(client, "phutrach"))
    assert answer.status_code == 200, answer.text
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert str(rows[4][0]).endswith("Địa bàn: Khu phố 1")
    listed = [r for r in rows[8:] if r[0] and str(r[0]).isdigit()]
    assert listed
    assert {r[3] for r in listed} == {"Khu phố 1"}
    outside = client.get(
        f"/api/v1/reports/communes/{commune_id + 999}/years/{YEAR}/helping-officers",
        headers=_login(client, "phutrach"),
    )
    assert outside.status_code == 404
