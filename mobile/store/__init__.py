"""The tablet's local store: one SQLite file with numbered migrations, sealed per-user data."""

from mobile.store.accounts import Account, Accounts, Profile, SignInRefused
from mobile.store.database import open_database
from mobile.store.records import Hamlet, Household, Settings, Survey, UserStore

__all__ = [
    "Account",
    "Accounts",
    "Hamlet",
    "Household",
    "Profile",
    "Settings",
    "SignInRefused",
    "Survey",
    "UserStore",
    "open_database",
]
