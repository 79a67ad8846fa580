"""``rasoat classify`` and ``rasoat standards`` as an operator runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from server.cli.main import app

ROOT = Path(__file__).parents[3]
EXAMPLE = ROOT / "examples" / "household.json"
RASOAT = str(Path(sys.executable).parent / "rasoat")
runner = CliRunner()


def test_classify_a_file_prints_the_result() -> None:
    result = runner.invoke(app, ["classify", "--lang", "en", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert output["class"] == "poor"
    assert output["indicators"]["latrine"]["status"] == "deprived"


def test_classify_an_array_from_stdin_under_a_named_standard() -> None:
    document = json.loads(EXAMPLE.read_text("utf-8"))
    second = {**document, "household_id": "VL-KP2-0018", "income": {"monthly_per_capita_vnd": 1}}
    result = runner.invoke(
        app, ["classify", "--standard", "vn-2027-2030", "-"], input=json.dumps([document, second])
    )
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert [r["household_id"] for r in output] == ["VL-KP2-0017", "VL-KP2-0018"]
    assert {r["standard"] for r in output} == {"vn-2027-2030"}


def test_invalid_input_exits_2_with_one_line_naming_household_and_field() -> None:
    document = json.loads(EXAMPLE.read_text("utf-8"))
    document["members"][0]["sex"] = "unknown"
    process = subprocess.run(
        [RASOAT, "classify", "--lang", "en", "-"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert process.stdout == ""
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert "VL-KP2-0017" in lines[0]
    assert "members[0].sex" in lines[0]
    assert "Traceback" not in process.stderr


def test_invalid_household_in_an_array_is_named_with_its_position() -> None:
    document = json.loads(EXAMPLE.read_text("utf-8"))
    bad = {**document, "household_id": "BAD-1", "area": "moon"}
    result = runner.invoke(
        app, ["classify", "--lang", "en", "-"], input=json.dumps([document, bad])
    )
    assert result.exit_code == 2
    assert "BAD-1 (#1)" in result.stderr
    assert "area" in result.stderr


def test_missing_file_and_unknown_standard_exit_2() -> None:
    assert runner.invoke(app, ["classify", "/nonexistent.json"]).exit_code == 2
    result = runner.invoke(app, ["classify", "--standard", "vn-1999", str(EXAMPLE)])
    assert result.exit_code == 2
    assert "vn-1999" in result.stderr


def test_standards_lists_dates_and_references() -> None:
    result = runner.invoke(app, ["standards", "--lang", "en"])
    assert result.exit_code == 0
    assert "vn-2022-2025\t2022-01-01 … 2026-12-31" in result.stdout
    assert "Decree 351/2025/NĐ-CP" in result.stdout
    assert "provisional" in result.stdout
