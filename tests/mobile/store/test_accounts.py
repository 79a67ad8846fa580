"""Offline sign-in against the local verifier, after a first online sign-in."""

from __future__ import annotations

import pytest

from mobile.store import Accounts, Profile, SignInRefused
from mobile.store.accounts import MAX_FAILED_SIGN_INS, Account


def test_a_user_signed_in_online_once_signs_in_offline(
    accounts: Accounts, account: Account
) -> None:
    again = accounts.sign_in_offline("huong", "2468")
    assert again.user_id == account.user_id
    assert again.data_key == account.data_key
    assert again.profile.full_name == "Nguyễn Thị Hường"


def test_a_wrong_secret_is_refused(accounts: Accounts, account: Account) -> None:
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in_offline("huong", "1357")
    assert refused.value.reason == "wrong_secret"


def test_a_user_never_seen_here_must_sign_in_online(accounts: Accounts) -> None:
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in_offline("lan", "2468")
    assert refused.value.reason == "unknown_user"


def test_too_many_wrong_secrets_lock_offline_sign_in_until_online(
    accounts: Accounts, account: Account
) -> None:
    for _ in range(MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused):
            accounts.sign_in_offline("huong", "0000")
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in_offline("huong", "2468")
    assert refused.value.reason == "locked"
    accounts.remember(account.profile, "2468", {})
    assert accounts.sign_in_offline("huong", "2468").user_id == account.user_id


def test_signing_in_online_again_keeps_the_data_key(accounts: Accounts, account: Account) -> None:
    again = accounts.remember(account.profile, "2468", {"refresh_token": "r2"})
    assert again.data_key == account.data_key
    assert accounts.tokens(again) == {"refresh_token": "r2"}


def test_the_secret_and_key_are_not_stored_in_clear(accounts: Accounts, account: Account) -> None:
    row = accounts.db.execute("SELECT * FROM users").fetchone()
    stored = b"".join(v if isinstance(v, bytes) else str(v).encode() for v in tuple(row))
    assert b"2468" not in stored
    assert account.data_key not in stored


def test_users_are_listed_for_the_sign_in_screen(accounts: Accounts, account: Account) -> None:
    accounts.remember(Profile("lan", "Lò Thị Lan", "enumerator", 8), "9999", {})
    assert set(accounts.known()) == {"huong", "lan"}
