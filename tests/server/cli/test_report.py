"""``rasoat report appendix-vii``: Appendix VII's forms from the command line, on a small demo
commune."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from server.cli.main import app
from server.demo import commune
from server.demo.commune import DemoHamlet


def test_appendix_vii_forms_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASOAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RASOAT_DATABASE_URL", raising=False)
    monkeypatch.setenv("RASOAT_PASSWORD_TIME_COST", "1")
    monkeypatch.setenv("RASOAT_PASSWORD_MEMORY_KIB", "64")
    small = (DemoHamlet("KP1", "Khu phố 1", 30, 1, 2), DemoHamlet("KP2", "Khu phố 2", 20, 0, 1))
    monkeypatch.setattr(commune, "HAMLETS", small)
    runner = CliRunner()
    assert runner.invoke(app, ["admin", "demo"]).exit_code == 0
    code = str(commune.COMMUNE["code"])
    workbook = tmp_path / "phu-luc-vii.xlsx"
    done = runner.invoke(
        app,
        ["report", "appendix-vii", "--commune", code, "--year", "2022", "--out", str(workbook)],
    )
    assert done.exit_code == 0, done.output
    book = load_workbook(workbook)
    assert book.sheetnames == [f"Mau 7.{n}" for n in range(1, 8)]
    total = [c.value for c in book["Mau 7.1"][13]]
    assert total[1:5] == ["Tổng cộng", 50, 1, 2.0]

    pdf = tmp_path / "mau-7-2.pdf"
    one = runner.invoke(
        app,
        [
            "report", "appendix-vii", "--commune", code, "--year", "2022",
            "--period", "six_monthly", "--form", "7.2", "--format", "pdf", "--out", str(pdf),
        ],
    )  # fmt: skip
    assert one.exit_code == 0, one.output
    assert pdf.read_bytes().startswith(b"%PDF")
    unknown = runner.invoke(
        app, ["report", "appendix-vii", "--commune", code, "--year", "2022", "--form", "8.1"]
    )
    assert unknown.exit_code == 2
    assert "mẫu 8.1" in unknown.output
