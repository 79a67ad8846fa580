"""``rasoat standards``: the national standards, and a province's Phiếu B1 score table loaded
(refused, naming the item, when it leaves one out) and listed beside the shipped example."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from server.cli.main import app
from shared.score_a import SHIPPED_DIR

Run = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).parents[3]
HOUSEHOLD = ROOT / "examples" / "household.json"
B1_ANSWERS = ROOT / "tests" / "shared" / "forms" / "answers" / "score_b1_example.yaml"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("RASOAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RASOAT_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["standards", *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _province_table(tmp_path: Path, leave_out: str | None = None) -> Path:
    """Write a province's table: the example's shape under its own id, not an example."""
    text = (SHIPPED_DIR / "example-b1.yaml").read_text("utf-8")
    text = text.replace("id: example-b1", "id: thanh-hoa-2026")
    text = text.replace("example_only: true", "example_only: false\nprovince: '38'")
    if leave_out is not None:
        start = text.index(f"  - id: {leave_out}\n")
        end = text.index("  - id: ", start + 1)
        text = text[:start] + text[end:]
    path = tmp_path / "thanh-hoa-2026.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_table_missing_an_item_is_refused_naming_it_in_both_languages(
    run: Run, tmp_path: Path
) -> None:
    path = _province_table(tmp_path, leave_out="computer")
    code, _, error = run("load-score-table", str(path))
    assert code == 2
    assert "chưa cho điểm chỉ tiêu «Máy vi tính, máy tính bảng» (computer)" in error
    code, _, error = run("load-score-table", "--lang", "en", str(path))
    assert code == 2
    assert "gives no points to item computer («Máy vi tính, máy tính bảng»)" in error
    _, listed, _ = run("list")
    assert "thanh-hoa-2026" not in listed


def test_a_province_table_is_loaded_once_and_listed_beside_the_example(
    run: Run, tmp_path: Path
) -> None:
    path = _province_table(tmp_path)
    code, output, error = run("load-score-table", str(path))
    assert code == 0, error
    assert output.startswith("score table thanh-hoa-2026 loaded")
    code, _, error = run("load-score-table", str(path))
    assert (code, "Đã nạp bảng điểm mã thanh-hoa-2026" in error) == (2, True)
    code, listed, _ = run("list")
    assert code == 0
    tables = [line.split("\t") for line in listed.splitlines() if line.startswith("score-table")]
    assert [row[1] for row in tables] == ["example-b1", "thanh-hoa-2026"]
    assert "VÍ DỤ, không phải bảng chính thức" in tables[0][4]
    assert "VÍ DỤ" not in tables[1][4]
    assert "tỉnh 38" in tables[1][4]
    # The national standards stay listed, with no sub-command too.
    assert listed.startswith("vn-2022-2025")
    assert run()[1].startswith("vn-2022-2025")


def test_classify_by_the_example_table_says_it_is_an_example(tmp_path: Path) -> None:
    answers = yaml.safe_load(B1_ANSWERS.read_text("utf-8"))
    b1 = tmp_path / "b1.json"
    b1.write_text(json.dumps(answers), "utf-8")
    household = json.loads(HOUSEHOLD.read_text("utf-8"))
    household["area"] = "urban"
    document = tmp_path / "household.json"
    document.write_text(json.dumps(household), "utf-8")
    result = CliRunner().invoke(
        app,
        [
            "classify",
            "--score-table",
            "example-b1",
            "--region",
            "north_central_central_coast",
            "--b1",
            str(b1),
            str(document),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "bảng điểm VÍ DỤ" in result.stderr
    output = json.loads(result.stdout)
    assert (output["score_a"], output["score_a_items"]["motorbike"]) == (153, 8)
