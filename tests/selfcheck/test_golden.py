"""The self-check page classifies every golden household as ``rasoat classify`` does under the
standard the page judges by, reasons and all: the page holds no rule of its own."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from server.cli.main import app as cli
from server.clock import today
from server.selfcheck.limits import Limiter, Rule
from server.selfcheck.service import standard_for_application
from tests.selfcheck.pages import form_of, on_day, verdict
from tests.shared.golden import load_cases


def _rasoat_classify(documents: list[dict[str, Any]], standard: str, folder: Path) -> list[Any]:
    source = folder / f"{standard}.json"
    source.write_text(json.dumps(documents, default=str), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["classify", str(source), "--standard", standard])
    assert outcome.exit_code == 0, outcome.output
    results: list[Any] = json.loads(outcome.stdout)
    return results


def test_the_page_classifies_the_golden_households_as_rasoat_classify(
    app: FastAPI, client: TestClient, tmp_path: Path
) -> None:
    # 109 households from one address: the limit is for people, not for this table.
    app.state.selfcheck_limiter = Limiter({"check": Rule(1000, 600), "send": Rule(1, 3600)})
    cases = load_cases()
    by_standard: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for name, case in cases:
        on = case["document"]["reference_date"]
        on = on if isinstance(on, date) else date.fromisoformat(on)
        by_standard[standard_for_application(on)[0].id].append((name, case["document"]))
    assert set(by_standard) == {"vn-2022-2025", "vn-2027-2030"}

    compared = 0
    wrong = []
    for standard, named in by_standard.items():
        expected = _rasoat_classify([document for _, document in named], standard, tmp_path)
        for (name, document), cli_result in zip(named, expected, strict=True):
            app.dependency_overrides[today] = on_day(document["reference_date"])
            page = client.post("/tu-danh-gia", data=form_of(document))
            assert page.status_code == 200, (name, page.text[:3000])
            shown_class, shown = verdict(page.text)
            wanted = {
                key: (entry["status"], entry["reason"])
                for key, entry in cli_result["indicators"].items()
            }
            if shown_class != cli_result["class"] or shown != wanted:
                wrong.append((name, standard, shown_class, cli_result["class"], shown, wanted))
            compared += 1
    assert compared == len(cases)
    assert not wrong, wrong[:3]
