"""``rasoat admin import-households``: a preview by default, ``--commit`` to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.cli.main import app
from tests.server.imports.sheets import csv_file


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RASOAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RASOAT_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["admin", *args])
        return result.exit_code, result.output

    return invoke


def test_preview_then_commit_then_nothing_to_do(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    commune = ["--province-code", "38", "--province-name", "Thanh Hóa", "--code", "15001"]
    assert run("create-commune", *commune, "--name", "Xã Một")[0] == 0
    assert run("create-hamlet", "--commune", "15001", "--code", "T1", "--name", "Thôn 1")[0] == 0
    listed = tmp_path / "ds.csv"
    listed.write_bytes(
        csv_file(
            ["Tên thôn", "Mã số hộ", "Họ tên", "Quan hệ", "Ngày sinh", "Phân loại"],
            [["Thôn 1", "H1", "Lò Văn Sáng", "Chủ hộ", "1/2/1970", "Hộ nghèo"],
             ["Thôn 2", "H2", "Lò Thị Nga", "Chủ hộ", "1/2/1971", None]],
        )
    )  # fmt: skip
    code, out = run("import-households", str(listed), "--commune", "15001", "--year", "2025")
    assert code == 0, out
    assert "Hộ thêm mới: 1" in out
    assert "Dòng 3, cột Tên thôn: Xã không có thôn/tổ dân phố 'Thôn 2'" in out
    assert "Chưa ghi gì" in out
    code, out = run("import-households", str(listed), "--commune", "15001", "--commit")
    assert code == 2
    assert "Chưa nhập gì: 1 dòng bị từ chối" in out

    mapping = tmp_path / "cot.yaml"
    mapping.write_text("Tên thôn: Thôn/Tổ dân phố\n", encoding="utf-8")
    listed.write_bytes(listed.read_bytes().replace("Thôn 2".encode(), "Thôn 1".encode()))
    args = ("import-households", str(listed), "--commune", "15001", "--map", str(mapping))
    code, out = run(*args, "--commit", "--lang", "en")
    assert code == 0, out
    assert "Households to create: 2" in out
    code, out = run(*args, "--commit")
    assert "Hộ không đổi: 2" in out

    template = tmp_path / "mau.xlsx"
    assert run("households-template", str(template))[0] == 0
    assert template.read_bytes()[:2] == b"PK"
