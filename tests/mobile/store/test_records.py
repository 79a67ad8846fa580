"""Drafts and photos are written through, sealed at rest, and visible only to their user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mobile.store import Accounts, Hamlet, Household, Profile, UserStore, open_database
from mobile.store.crypto import WrongSecret
from tests.mobile.conftest import TEST_COST


def test_a_draft_survives_the_app_being_closed(tmp_path: Path) -> None:
    path = tmp_path / "tablet.sqlite3"
    db = open_database(path)
    account = Accounts(db, kdf_cost=TEST_COST).remember(
        Profile("huong", "Hường", "enumerator"), "2468", {}
    )
    store = UserStore(db, account, tmp_path)
    survey = store.new_survey(5, "household_review", 1)
    survey.envelope["answers"]["head_name"] = "Hoàng Văn Đức"
    survey.position = {"page": 1, "rows": [["members", 2]]}
    store.save_survey(survey)
    del db, store  # no close, no commit call: every write is already its own transaction

    db = open_database(path)
    account = Accounts(db, kdf_cost=TEST_COST).sign_in_offline("huong", "2468")
    found = UserStore(db, account, tmp_path).survey(survey.survey_id)
    assert found is not None
    assert found.envelope["answers"]["head_name"] == "Hoàng Văn Đức"
    assert found.position == {"page": 1, "rows": [["members", 2]]}


def test_drafts_are_encrypted_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tablet.sqlite3"
    db = open_database(path)
    account = Accounts(db, kdf_cost=TEST_COST).remember(
        Profile("huong", "Hường", "enumerator"), "2468", {}
    )
    store = UserStore(db, account, tmp_path)
    store.save_households([Household(1, 1, "KP-1", "Hoàng Văn Đức", "Xóm Nà Khoang")])
    survey = store.new_survey(1, "household_review", 1)
    survey.envelope["answers"]["phone"] = "0912345678"
    store.save_survey(survey)
    db.execute("PRAGMA wal_checkpoint(FULL)")
    raw = path.read_bytes() + (
        path.with_name(path.name + "-wal").read_bytes()
        if path.with_name(path.name + "-wal").exists()
        else b""
    )
    assert b"0912345678" not in raw
    assert "Đức".encode() not in raw
    assert "Nà Khoang".encode() not in raw


def test_each_user_sees_only_their_own_data(
    db: sqlite3.Connection, store: UserStore, tmp_path: Path
) -> None:
    store.save_hamlets([Hamlet(1, "Thôn Khuổi Phầy 2")])
    store.save_households([Household(1, 1, "KP-1", "Hoàng Văn Đức")])
    survey = store.new_survey(1, "household_review", 1)
    other_account = Accounts(db, kdf_cost=TEST_COST).remember(
        Profile("lan", "Lò Thị Lan", "enumerator"), "9999", {}
    )
    other = UserStore(db, other_account, tmp_path / "photos")
    assert other.hamlets() == []
    assert other.households(1) == []
    assert other.household(1) is None
    assert other.survey(survey.survey_id) is None
    assert other.surveys() == []
    sealed = db.execute("SELECT sealed FROM surveys").fetchone()[0]
    with pytest.raises(WrongSecret):
        other._unseal(sealed, f"survey:{survey.survey_id}")


def test_photos_are_sealed_on_disk_and_read_back(store: UserStore) -> None:
    survey = store.new_survey(1, "household_review", 1)
    jpeg = b"\xff\xd8\xff\xe0 pretend jpeg with a face"
    name = store.save_photo(survey.survey_id, "photo_house", jpeg, "ab" * 32)
    on_disk = (store.photo_dir / f"{'ab' * 32}.sealed").read_bytes()
    assert b"pretend jpeg" not in on_disk
    assert store.photo("ab" * 32) == jpeg
    assert store.photos(survey.survey_id)[0]["file"] == name


def test_discarding_a_review_removes_its_photos(store: UserStore) -> None:
    survey = store.new_survey(1, "household_review", 1)
    store.save_photo(survey.survey_id, "photo_house", b"jpeg", "cd" * 32)
    store.delete_survey(survey.survey_id)
    assert store.survey(survey.survey_id) is None
    assert store.photo("cd" * 32) is None


def test_sync_runs_give_the_age_of_the_last_good_one(store: UserStore) -> None:
    assert store.last_successful_sync() is None
    store.record_sync(ok=False, sent=0, received=0, error="offline")
    assert store.last_successful_sync() is None
    store.record_sync(ok=True, sent=2, received=5)
    assert store.last_successful_sync() is not None
