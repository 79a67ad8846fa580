"""The tablet's local store: one SQLite file with numbered migrations, sealed per-user data."""

from mobile.store.accounts import Account, Accounts, Profile, SignInRefused
from mobile.store.database import open_database
from mobile.store.records import Hamlet, Household, Review, Settings, UserStore

__all__ = [
    "Account",
    "Accounts",
    "Hamlet",
    "Household",
    "Profile",
    "Review",
    "Settings",
    "SignInRefused",
    "UserStore",
    "open_database",
]
