"""Fixtures of the scope tests: a round of commune 1 with certificates in hamlets A and B,
and the text of a PDF to compare with the reader's scope."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.review.models import Case, Round
from tests.server.conftest import World, round_with_applicant

# The heads of the world's households of hamlets A and B, as the papers print them.
HEADS = {"A": "Nguyễn Văn Quyết", "B": "Trần Thị Đào"}


def pdf_text(pdf: bytes) -> str:
    """Return the text of a PDF (poppler's pdftotext; CI installs poppler-utils)."""
    assert shutil.which("pdftotext"), "poppler-utils is required: apt-get install poppler-utils"
    assert pdf.startswith(b"%PDF-"), pdf[:200]
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


@pytest.fixture
def certified(client: TestClient, world: World, session: Session) -> tuple[int, dict[str, int]]:
    """Commune 1's round of 2023 with HH-A and HH-B certified, and their case ids."""
    round_id, _ = round_with_applicant(client, world, "certified")
    # The round's whole path to Form 03 is tested in tests/server/review; here it is set
    # straight, so the test reads as the scope it checks.
    round_ = session.get(Round, round_id)
    assert round_ is not None
    round_.decision_number, round_.decision_date = "125/QĐ-UBND", date(2023, 12, 8)
    cases = {}
    for number, case in enumerate(
        session.scalars(select(Case).where(Case.round_id == round_id)), start=1
    ):
        case.state, case.final_class = "certified", "poor"
        case.certificate_number = f"{number}/GCN"
        case.certificate_kind = "issued"
        case.certificate_issued_on = date(2023, 12, 11)
        hamlet = next(k for k, h in world.households.items() if h.id == case.household_id)
        cases[hamlet] = case.id
    session.commit()
    assert set(cases) == {"A", "B"}
    return round_id, cases
