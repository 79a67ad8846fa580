"""The schema moves forward one numbered step at a time and never back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mobile.store import migrations, open_database
from mobile.store.migrations import LATEST, StoreTooNew, upgrade, version


def test_a_new_file_gets_every_step(tmp_path: Path) -> None:
    db = open_database(tmp_path / "tablet.sqlite3")
    assert version(db) == LATEST
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "hamlets", "households", "reviews", "photos", "sync_runs"} <= tables


def test_an_old_file_is_moved_forward_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "tablet.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    upgrade(db, target=1)
    db.execute("INSERT INTO settings (key, value) VALUES ('language', 'en')")
    db.close()
    db = open_database(path)
    assert version(db) == LATEST
    assert db.execute("SELECT value FROM settings").fetchone()[0] == "en"
    assert "failed_sign_ins" in {r[1] for r in db.execute("PRAGMA table_info(users)")}


def test_a_file_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tablet.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.close()
    with pytest.raises(StoreTooNew):
        open_database(path)


def test_a_failing_step_leaves_the_file_at_the_previous_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (*migrations.STEPS, "CREATE TABLE extra (x INTEGER); CREATE TABLE extra (y);")
    monkeypatch.setattr(migrations, "STEPS", broken)
    monkeypatch.setattr(migrations, "LATEST", len(broken))
    db = sqlite3.connect(tmp_path / "tablet.sqlite3", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        upgrade(db, target=len(broken))
    assert version(db) == len(broken) - 1
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "extra" not in names
