"""The one change classifier, by the table in data/year_change.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.vocabulary import CHANGE_LABELS, Change
from shared.year_change import change_from_last_year, has_exited

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "year_change.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['earlier']}->{c['now']}")
def test_change_from_last_year(case: dict[str, Any]) -> None:
    assert change_from_last_year(case["earlier"], case["now"]) is Change(case["change"])


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if len(c["earlier"]) == 1],
    ids=lambda c: f"{c['earlier']}->{c['now']}",
)
def test_exited_is_leaving_the_list_started_on(case: dict[str, Any]) -> None:
    assert has_exited(case["earlier"][0], case["now"]) is case.get("exited", False)


def test_every_change_has_both_labels() -> None:
    assert all(set(CHANGE_LABELS[change]) == {"vi", "en"} for change in Change)
