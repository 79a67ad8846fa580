"""The compiled engine (mypyc, ``setup.py``) says exactly what the interpreted one says.

Production installs compile ``shared/engine.py`` and ``shared/indicators.py``; development
and the tablet run them interpreted. This builds the compiled modules with the production
build, then classifies the golden cases, generated households with fields left out, and
invalid documents with both, under every standard, a local standard and a score-A table, in
both languages, and compares the output byte for byte. It also fails when a change to those
modules stops compiling.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from bench.engine_build import build
from server.demo.population import random_household
from tests.shared.golden import load_cases

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("compiled_run.py")
DATA = Path(__file__).with_name("data")

pytestmark = pytest.mark.slow


def _thinned(rng: random.Random, document: dict[str, Any]) -> dict[str, Any]:
    """Leave out recorded facts at random, so unknown indicators are compared too."""
    thinned = {
        k: v
        for k, v in document.items()
        if k in ("format", "household_id", "reference_date", "area", "members")
        or rng.random() > 0.1
    }
    thinned["members"] = [
        {k: v for k, v in member.items() if k == "member_id" or rng.random() > 0.08}
        for member in document["members"]
    ]
    return thinned


def _documents() -> list[Any]:
    rng = random.Random(7)
    documents: list[Any] = [case["document"] for _, case in load_cases()]
    for number in range(1500):
        area = "urban" if rng.random() < 0.3 else "rural"
        day = date(2022, 1, 1) + (date(2029, 12, 31) - date(2022, 1, 1)) * rng.random()
        document = random_household(rng, f"CMP-{number:05d}", day, area)
        documents.append(_thinned(rng, document) if number % 3 == 0 else document)
    # Invalid documents: the compiled parser must name the same field and problem.
    base = documents[-1]
    documents += [
        {**base, "area": "suburban"},
        {**base, "members": []},
        {**base, "extra": 1},
        {**base, "income": {"monthly_per_capita_vnd": 1, "annual_total_vnd": 12}},
        {**base, "members": [base["members"][0], base["members"][0]]},
        {**base, "members": [{"member_id": "1", "birth_date": "2999-01-01"}]},
        {**base, "members": [{"member_id": "1", "sex": "male", "citizen_id": "001185000001"}]},
        {**base, "members": [{"member_id": "1", "citizen_id_issued_on": "2020-01-01"}]},
        {
            **base,
            "members": [
                {"member_id": "1", "birth_year": 1985, "citizen_id": "001085000001"},
                {"member_id": "2", "citizen_id": "001085000001"},
            ],
        },
    ]
    return documents


def _run(households: Path, pythonpath: str) -> list[bytes]:
    completed = subprocess.run(
        # -P: the runner's own folder (tests/shared, with a ``forms`` package of its own) is not
        # put first on sys.path, where it would hide the repository's ``forms``.
        [sys.executable, "-P", str(RUNNER), str(households), str(DATA)],
        env={**os.environ, "PYTHONPATH": pythonpath},
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return completed.stdout.splitlines()


def test_compiled_engine_gives_identical_results(tmp_path: Path) -> None:
    try:
        compiled = build()
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"the engine no longer compiles with mypyc:\n{exc.stdout}\n{exc.stderr}")
    households = tmp_path / "households.json"
    documents = _documents()
    households.write_bytes(orjson.dumps(documents))

    native = _run(households, os.pathsep.join([str(compiled), str(ROOT)]))
    interpreted = _run(households, str(ROOT))

    assert native[0].endswith(b".so"), native[0]
    assert interpreted[0] == b"engine.py"
    assert len(native) == len(interpreted) > len(documents) * 4
    errors = sum(1 for line in interpreted if line.startswith(b'{"error"'))
    assert errors == 9
    undetermined = sum(1 for line in interpreted if b'"class":"undetermined"' in line)
    assert undetermined > 100, "the thinned households must exercise unknown indicators"
    for line, (expected, got) in enumerate(zip(interpreted[1:], native[1:], strict=True), 1):
        assert got == expected, f"line {line} differs"
