"""The schema moves forward one numbered step at a time and never back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mobile.store import Accounts, Profile, UserStore, crypto, migrations, open_database
from mobile.store.migrations import LATEST, StoreTooNew, upgrade, version
from tests.mobile.conftest import TEST_COST


def test_a_new_file_gets_every_step(tmp_path: Path) -> None:
    db = open_database(tmp_path / "tablet.sqlite3")
    assert version(db) == LATEST
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "hamlets", "households", "surveys", "photos", "sync_runs"} <= tables


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


def test_drafts_written_before_the_rename_open_after_it(tmp_path: Path) -> None:
    """A tablet updated mid-season: its drafts, finished surveys and their photos, written by
    the app of step 4 in the table ``reviews``, open after step 5 with everything typed."""
    path = tmp_path / "tablet.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.row_factory = sqlite3.Row
    upgrade(db, target=4)
    account = Accounts(db, kdf_cost=TEST_COST).remember(
        Profile("huong", "Hường", "enumerator"), "2468", {}
    )
    stamp = "2026-11-30T08:00:00+00:00"
    # As the app of step 4 wrote them: sealed under "review:<id>", the push id "submission_id".
    old = {
        "draft-1": ("draft", {"answers": {"head_name": "Hoàng Văn Đức"}}, ""),
        "ready-1": ("ready", {"answers": {"head_name": "Lò Thị Mai"}}, "push-1"),
    }
    for review_id, (state, envelope, pushed) in old.items():
        body = {
            "envelope": envelope,
            "position": {"page": 2},
            "returned_comment": "",
            "submission_id": pushed,
        }
        sealed = crypto.seal(
            account.data_key, json.dumps(body).encode(), f"review:{review_id}".encode()
        )
        db.execute(
            "INSERT INTO reviews (review_id, user_id, household_id, form_id, form_version,"
            " state, sealed, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (review_id, account.user_id, 5, "household_review", 3, state, sealed, stamp, stamp),
        )
    db.execute(
        "INSERT INTO photos (user_id, sha256, review_id, question, file, bytes, created_at)"
        " VALUES (?,?,?,?,?,?,?)",
        (account.user_id, "ab" * 32, "draft-1", "house_photo", "abab.jpg", 10, stamp),
    )
    db.close()

    db = open_database(path)
    assert version(db) == LATEST
    account = Accounts(db, kdf_cost=TEST_COST).sign_in_offline("huong", "2468")
    store = UserStore(db, account, tmp_path)
    draft, ready = store.survey("draft-1"), store.survey("ready-1")
    assert draft is not None
    assert ready is not None
    assert draft.envelope["answers"]["head_name"] == "Hoàng Văn Đức"
    assert (draft.state, draft.position, draft.survey_uuid) == ("draft", {"page": 2}, "")
    assert (ready.state, ready.survey_uuid) == ("ready", "push-1")
    assert [p["sha256"] for p in store.photos("draft-1")] == ["ab" * 32]
    # Saved again after the step, a draft still opens.
    draft.envelope["answers"]["address"] = "Khu phố 2"
    store.save_survey(draft)
    again = store.survey("draft-1")
    assert again is not None
    assert again.envelope["answers"]["address"] == "Khu phố 2"
