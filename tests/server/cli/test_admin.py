"""``rasoat admin``: communes, hamlets, boundaries, users, the audit check, the demo."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.cli.main import app
from server.demo import commune
from server.demo.commune import DemoHamlet

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[105.6, 20.0], [105.61, 20.0], [105.61, 20.01], [105.6, 20.01], [105.6, 20.0]]
    ],
}


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RASOAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RASOAT_DATABASE_URL", raising=False)
    monkeypatch.setenv("RASOAT_PASSWORD_TIME_COST", "1")
    monkeypatch.setenv("RASOAT_PASSWORD_MEMORY_KIB", "64")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["admin", *args])
        return result.exit_code, result.output

    return invoke


def test_commune_hamlet_boundaries_user_and_audit(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (
        run(
            "create-commune",
            "--province-code",
            "38",
            "--province-name",
            "Thanh Hóa",
            "--code",
            "15001",
            "--name",
            "Xã Một",
            "--legacy-district-code",
            "390",
        )[0]
        == 0
    )
    assert run("create-hamlet", "--commune", "15001", "--code", "T1", "--name", "Thôn 1")[0] == 0
    features = tmp_path / "hamlets.geojson"
    features.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"code": "T1"}, "geometry": SQUARE},
                    {"type": "Feature", "properties": {"code": "T9"}, "geometry": SQUARE},
                ],
            }
        )
    )
    code, output = run("import-boundaries", "--commune", "15001", str(features))
    assert code == 0
    assert "1 boundaries set" in output
    assert "T9" in output
    code, output = run(
        "create-user",
        "--username",
        "rsv",
        "--role",
        "enumerator",
        "--full-name",
        "Rà Soát Viên",
        "--password",
        "mat-khau-dai",
        "--commune",
        "15001",
        "--hamlet",
        "T1",
    )
    assert code == 0, output
    assert (
        run(
            "create-commune",
            "--province-code",
            "38",
            "--province-name",
            "Thanh Hóa",
            "--code",
            "15001",
            "--name",
            "Again",
        )[0]
        == 2
    )
    code, output = run("verify-audit")
    assert code == 0
    assert "intact" in output

    with sqlite3.connect(tmp_path / "rasoat.sqlite3") as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    code, output = run("verify-audit")
    assert code == 1
    assert "entry 2" in output


def test_disable_enable_reset_password_and_end_sessions(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    commune = ["--province-code", "38", "--province-name", "Thanh Hóa", "--code", "15001"]
    assert run("create-commune", *commune, "--name", "Xã Một")[0] == 0
    user = ["--role", "commune_officer", "--full-name", "Cán Bộ", "--commune", "15001"]
    assert run("create-user", "--username", "canbo", *user, "--password", "mat-khau-dai")[0] == 0

    def state() -> tuple[int, int, str]:
        with sqlite3.connect(tmp_path / "rasoat.sqlite3") as db:
            row = db.execute(
                "SELECT active, session_generation, password_hash FROM users"
                " WHERE username = 'canbo'"
            ).fetchone()
        return int(row[0]), int(row[1]), str(row[2])

    before = state()
    assert run("disable-user", "canbo") == (0, "user canbo disabled\n")
    assert state()[:2] == (0, before[1] + 1)
    assert run("enable-user", "canbo")[0] == 0
    assert state()[0] == 1
    code, output = run("reset-password", "canbo", "--password", "mat-khau-moi-dai")
    assert code == 0, output
    assert state()[1:] != before[1:]
    assert run("end-sessions", "canbo")[0] == 0
    assert state()[1] == before[1] + 3
    assert run("disable-user", "nobody")[0] == 2
    assert run("reset-password", "canbo", "--password", "short")[0] == 2
    code, output = run("verify-audit")
    assert (code, "intact" in output) == (0, True)


@pytest.mark.parametrize(
    "tampering",
    [
        ["DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"],
        ["DELETE FROM audit_log"],
    ],
)
def test_verify_audit_finds_rows_removed_from_the_end(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, tampering: list[str]
) -> None:
    commune = ["--province-code", "38", "--province-name", "Thanh Hóa", "--code", "15001"]
    assert run("create-commune", *commune, "--name", "Xã Một")[0] == 0
    assert run("create-hamlet", "--commune", "15001", "--code", "T1", "--name", "Thôn 1")[0] == 0
    assert (tmp_path / "audit.anchor").exists()
    assert run("verify-audit")[0] == 0
    with sqlite3.connect(tmp_path / "rasoat.sqlite3") as db:
        db.execute("DROP TRIGGER audit_log_no_delete")
        for statement in tampering:
            db.execute(statement)
    code, output = run("verify-audit")
    assert code == 1
    assert "missing" in output


def test_demo(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # The full commune is checked in tests/server/demo; here the command, on a small one.
    small = (DemoHamlet("KP1", "Khu phố 1", 30, 1, 2), DemoHamlet("KP2", "Khu phố 2", 20, 0, 1))
    monkeypatch.setattr(commune, "HAMLETS", small)
    code, output = run("demo")
    assert code == 0, output
    assert "50 households" in output
    assert "poor 1" in output
    assert "near_poor 3" in output
    assert "rasoatvien" in output
    assert "rasoat-demo" in output
    assert run("demo")[0] == 2
