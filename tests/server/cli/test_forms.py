"""``rasoat forms list`` and ``rasoat forms check`` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from server.cli.main import app

ANSWERS = Path(__file__).parents[2] / "shared" / "forms" / "answers"
runner = CliRunner()


def _as_json(tmp_path: Path, name: str, **changes: object) -> Path:
    filled = yaml.safe_load((ANSWERS / name).read_text(encoding="utf-8"))
    filled["answers"].update(changes)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(filled, ensure_ascii=False), encoding="utf-8")
    return path


def test_list_prints_id_version_and_title() -> None:
    result = runner.invoke(app, ["forms", "list", "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "household_review\t3\tHousehold review\t→ rasoat.household/1" in lines
    assert len(lines) == 6  # with score_b1, which maps to no document


def test_check_prints_the_document_and_its_class(tmp_path: Path) -> None:
    path = _as_json(tmp_path, "household_review_poor.yaml")
    result = runner.invoke(app, ["forms", "check", "--json", "household_review", str(path)])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert output["issues"] == []
    assert output["document"]["household_id"] == "VL-KP2-0017"
    assert output["classification"]["class"] == "poor"


def test_check_lists_issues_in_vietnamese_and_exits_1(tmp_path: Path) -> None:
    path = _as_json(tmp_path, "household_review_poor.yaml", floor_area_m2=0)
    result = runner.invoke(app, ["forms", "check", "household_review@1", str(path)])
    assert result.exit_code == 1
    assert "floor_area_m2: constraint (area_positive): Diện tích nhà ở phải lớn hơn 0" in (
        result.stdout
    )


def test_unknown_form_exits_2_with_one_line(tmp_path: Path) -> None:
    path = _as_json(tmp_path, "household_review_poor.yaml")
    result = runner.invoke(app, ["forms", "check", "--lang", "en", "phieu_b", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["No form phieu_b version 1"]


def test_unreadable_answers_exit_2_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        result = runner.invoke(app, ["forms", "check", "household_review", str(path)])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output
