"""Reading one cell: the golden table ``values.yaml``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from server.imports import values
from server.imports.values import Cell, RefusedError

TODAY = date(2026, 1, 15)
TABLE = yaml.safe_load((Path(__file__).parent / "values.yaml").read_text("utf-8"))
READERS: dict[str, Callable[[Cell], Any]] = {
    "birth_date": lambda cell: values.birth_date(cell, TODAY),
    "sex": values.sex,
    "relation": values.relation,
    "household_class": values.household_class,
    "citizen_id": values.citizen_id,
}
CASES = [(kind, case) for kind, cases in TABLE.items() for case in cases]


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}:{c['cell']}" for k, c in CASES])
def test_cell(kind: str, case: dict[str, Any]) -> None:
    read = READERS[kind]
    if "problem" in case:
        with pytest.raises(RefusedError) as refused:
            read(case["cell"])
        assert refused.value.problem.value == case["problem"]
    else:
        assert read(case["cell"]) == case["read"]


def test_a_spreadsheet_date_cell_is_taken_as_it_is() -> None:
    assert values.birth_date(datetime(1980, 3, 5), TODAY) == date(1980, 3, 5)
    assert values.text(date(1980, 3, 5)) == "05/03/1980"
    assert values.text(12.0) == "12"
