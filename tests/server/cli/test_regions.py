"""A commune's socio-economic region on the command line: set on creation or later, one of the
six, and shown by the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.cli.main import app


@pytest.fixture
def admin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RASOAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RASOAT_DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["admin", *args])
        return result.exit_code, result.output

    return invoke


COMMUNE = ["--province-code", "38", "--province-name", "Thanh Hóa", "--name", "Xã Một"]


def test_a_region_is_one_of_the_six(admin) -> None:  # type: ignore[no-untyped-def]
    code, output = admin("create-commune", *COMMUNE, "--code", "1", "--region", "mien_trung")
    assert code == 2
    assert "Vùng mien_trung không phải một trong sáu vùng kinh tế - xã hội" in output
    created = admin(
        "create-commune", *COMMUNE, "--code", "2", "--region", "north_central_central_coast"
    )
    assert created[0] == 0, created[1]
    assert admin("set-commune-region", "--commune", "2", "red_river_delta") == (
        0,
        "commune 2: red_river_delta\n",
    )
    assert admin("set-commune-region", "--commune", "9", "red_river_delta")[0] == 2
