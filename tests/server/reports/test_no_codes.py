"""Papers print labels, never codes: every list and form the commune exports (the hamlet
table, the annual bundle with its list of households and members, Appendix VII's forms, seed
002's helping-officer list), as XLSX and PDF, is scanned for the registry's codes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import get_args

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server.demo.service import DemoSummary
from server.demo.support import YEAR
from server.documents import labels
from server.support.vocabulary import vocabulary
from shared.household import PovertyCause, Relation, Sex, SpecialGroup
from shared.standards import load_catalog
from shared.vocabulary import CLASSES, Change
from tests.server.reports.test_appendix_vii import _login
from tests.server.reports.test_helping_list import _assign_everyone


def _codes() -> set[str]:
    """Return every code a list could leak: classes, changes, sex, relation, special groups,
    causes, forms of help, organisations, stages, indicators."""
    found: set[str] = {*CLASSES, *(c.value for c in Change)}
    for literal in (Sex, Relation, SpecialGroup, PovertyCause):
        found |= set(get_args(literal))
    found |= set(vocabulary().organisations) | set(vocabulary().skill_of_help)
    found |= {"registered", "on_track", "exited", "in_progress", "stalled"}
    for standard in load_catalog().standards:
        found |= {i.id for i in standard.indicators}
    return found


CODES = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, _codes()))) + r")(?![\w-])")


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return "\n".join([*book.sheetnames, *cells])


def _pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "paper.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode()


def test_known_codes_are_what_the_scan_looks_for() -> None:
    assert CODES.search("Giới tính: male") is not None
    assert CODES.search("Quan hệ: head") is not None
    assert CODES.search("Loại hộ: near_poor") is not None
    assert CODES.search("womens_union") is not None
    assert CODES.search("Hộ nghèo; Nam; Chủ hộ; Hội Liên hiệp Phụ nữ") is None
    assert labels.choice("sex", "male") == "Nam"


def test_no_exported_paper_prints_a_code(
    session: Session, demo: DemoSummary, client: TestClient, tmp_path: Path
) -> None:
    commune_id = _assign_everyone(session, client)
    headers = _login(client, "canbo")
    base = f"/api/v1/reports/communes/{commune_id}/years"
    papers = {
        "hamlet table": f"{base}/2022/hamlet-table",
        "annual bundle": f"{base}/2022/bundles/annual",
        "six-monthly bundle": f"{base}/2022/bundles/six_monthly",
        "appendix vii": f"{base}/2022/appendix-vii",
        "helping officers": f"{base}/{YEAR}/helping-officers",
    }
    has_pdftotext = shutil.which("pdftotext") is not None
    for name, url in papers.items():
        workbook = client.get(url, params={"format": "xlsx"}, headers=headers)
        assert workbook.status_code == 200, (name, workbook.text)
        text = _workbook_text(workbook.content)
        assert text.strip(), name
        assert CODES.findall(text) == [], name
        if has_pdftotext:
            pdf = client.get(url, params={"format": "pdf"}, headers=headers)
            assert pdf.status_code == 200, (name, pdf.text)
            found = CODES.findall(_pdf_text(pdf.content, tmp_path))
            assert found == [], name
    if not has_pdftotext:
        pytest.skip("pdftotext (poppler-utils) not installed: the PDFs were not scanned")
