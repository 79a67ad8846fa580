"""The tablet key: Argon2id at a cost a tablet can bear, no cheaper check beside it, a failure
count that editing the database file cannot reset, and rows of the scrypt scheme moved on."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from mobile.store import Accounts, Profile, SignInRefused, crypto, open_database
from mobile.store.accounts import MAX_FAILED_SIGN_INS
from mobile.store.crypto import KeyParams, ScryptParams
from mobile.store.ledger import FILE_NAME
from tests.mobile.conftest import TEST_COST

HUONG = Profile("huong", "Nguyễn Thị Hường", "enumerator", 7)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "rasoat.sqlite3"


def _accounts(path: Path) -> Accounts:
    return Accounts(open_database(path), kdf_cost=TEST_COST)


def _reason(accounts: Accounts, secret: str) -> str:
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in_offline("huong", secret)
    return refused.value.reason


def _edit(path: Path, sql: str) -> None:
    """Change the database file as someone with the file and the sqlite3 tool would."""
    other = sqlite3.connect(path)
    other.execute(sql)
    other.commit()
    other.close()


def test_the_key_is_derived_by_argon2id_at_64_mib_and_two_passes(tmp_path: Path) -> None:
    accounts = Accounts(open_database(tmp_path / "rasoat.sqlite3"))
    accounts.remember(HUONG, "mật khẩu dài", {})
    row = accounts.db.execute("SELECT * FROM users").fetchone()
    params = KeyParams.from_json(row["key_params"])
    assert (params.memory_kib, params.iterations, params.lanes) == (64 * 1024, 2, 1)
    assert len(params.salt) == 16
    # Nothing cheaper than one Argon2id checks a guess: no verifier, no scrypt columns.
    assert (row["verifier"], row["kdf_n"], row["key_salt"]) == (b"", 0, b"")
    assert accounts.sign_in_offline("huong", "mật khẩu dài").profile == HUONG


def test_editing_the_count_in_the_file_locks_the_user(path: Path) -> None:
    accounts = _accounts(path)
    accounts.remember(HUONG, "2468", {})
    for _ in range(3):
        assert _reason(accounts, "0000") == "wrong_secret"
    _edit(path, "UPDATE users SET failed_sign_ins = 0")
    assert _reason(_accounts(path), "2468") == "locked"
    _accounts(path).remember(HUONG, "2468", {})  # an online sign-in sets both copies again
    assert _accounts(path).sign_in_offline("huong", "2468").profile == HUONG


def test_putting_back_an_earlier_row_locks_the_user(path: Path) -> None:
    accounts = _accounts(path)
    accounts.remember(HUONG, "2468", {})
    before = accounts.db.execute("SELECT failed_sign_ins, wrapped_key FROM users").fetchone()
    for _ in range(MAX_FAILED_SIGN_INS):
        _reason(accounts, "0000")
    assert _reason(accounts, "2468") == "locked"
    _edit(path, f"UPDATE users SET failed_sign_ins = {before[0]}")
    assert _reason(_accounts(path), "2468") == "locked"


def test_a_missing_ledger_locks_the_user(path: Path) -> None:
    _accounts(path).remember(HUONG, "2468", {})
    (path.parent / FILE_NAME).unlink()
    assert _reason(_accounts(path), "2468") == "locked"


def test_the_attempt_is_counted_before_the_secret_is_tried(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = _accounts(path)
    accounts.remember(HUONG, "2468", {})

    def killed(*_args: object) -> bytes:
        raise KeyboardInterrupt  # the app stopped while Argon2id runs

    monkeypatch.setattr(crypto, "unwrap_key", killed)
    with pytest.raises(KeyboardInterrupt):
        accounts.sign_in_offline("huong", "0000")
    assert accounts.db.execute("SELECT failed_sign_ins FROM users").fetchone()[0] == 1


def _scrypt_row(db: sqlite3.Connection, secret: str, data_key: bytes) -> None:
    """Write a user as the app did before Argon2id: scrypt verifier, scrypt-wrapped key."""
    verify, wrap = (ScryptParams(os.urandom(16), 2**10, 8, 1) for _ in range(2))
    db.execute(
        "INSERT INTO users (username, server_user_id, full_name, role, kdf_salt, kdf_n, kdf_r,"
        " kdf_p, verifier, key_salt, wrapped_key, sealed_tokens, created_at, last_online_at,"
        " failed_sign_ins) VALUES ('huong', 7, 'Nguyễn Thị Hường', 'enumerator', ?, ?, 8, 1,"
        " ?, ?, ?, ?, '2026-01-05T08:00:00+00:00', '2026-01-05T08:00:00+00:00', 2)",
        (
            verify.salt,
            verify.n,
            verify.derive(secret),
            wrap.salt,
            crypto.seal(wrap.derive(secret), data_key, b"data-key"),
            crypto.seal(data_key, b'{"refresh_token": "r1"}', b"tokens"),
        ),
    )


def test_a_scrypt_row_is_moved_to_argon2id_at_its_next_unlock(path: Path) -> None:
    data_key = crypto.new_data_key()
    accounts = _accounts(path)
    _scrypt_row(accounts.db, "2468", data_key)
    assert _reason(accounts, "1357") == "wrong_secret"
    account = accounts.sign_in_offline("huong", "2468")
    assert account.data_key == data_key
    row = accounts.db.execute("SELECT * FROM users").fetchone()
    assert KeyParams.from_json(row["key_params"]).memory_kib == TEST_COST
    assert (row["verifier"], row["failed_sign_ins"]) == (b"", 0)
    assert accounts.tokens(account) == {"refresh_token": "r1"}
    again = _accounts(path).sign_in_offline("huong", "2468")
    assert again.data_key == data_key


def test_a_scrypt_row_is_moved_on_at_an_online_sign_in_too(path: Path) -> None:
    data_key = crypto.new_data_key()
    accounts = _accounts(path)
    _scrypt_row(accounts.db, "2468", data_key)
    assert accounts.remember(HUONG, "2468", {}).data_key == data_key
    assert accounts.db.execute("SELECT key_params FROM users").fetchone()[0] is not None


def test_a_row_stripped_back_to_the_old_scheme_does_not_open(path: Path) -> None:
    _accounts(path).remember(HUONG, "2468", {})
    _edit(path, "UPDATE users SET key_params = NULL")
    assert _reason(_accounts(path), "2468") == "locked"
