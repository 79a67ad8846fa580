"""Fixtures of the tablet tests: a migrated in-memory database, a signed-in user, the forms."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mobile.store import Accounts, Profile, UserStore, open_database
from mobile.store.accounts import Account
from shared.forms import Form, shipped

# scrypt at a toy cost: the tests check the logic, not the work factor.
TEST_COST = 2**4


@pytest.fixture
def db() -> sqlite3.Connection:
    return open_database(":memory:")


@pytest.fixture
def accounts(db: sqlite3.Connection) -> Accounts:
    return Accounts(db, kdf_cost=TEST_COST)


@pytest.fixture
def account(accounts: Accounts) -> Account:
    return accounts.remember(Profile("huong", "Nguyễn Thị Hường", "enumerator", 7), "2468", {})


@pytest.fixture
def store(db: sqlite3.Connection, account: Account, tmp_path: Path) -> UserStore:
    return UserStore(db, account, tmp_path / "photos")


@pytest.fixture(scope="session")
def survey_form() -> Form:
    return shipped().get("household_review")
