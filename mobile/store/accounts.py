"""Users of one tablet: first sign-in online, afterwards offline against a local verifier.

Several enumerators may share a tablet. Each has a row in ``users`` with a scrypt verifier of
their secret and their own data key wrapped under it; every other table is keyed by the user,
and ``UserSession`` only ever reads its own user's rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mobile.store import crypto
from mobile.store.crypto import KdfParams

# After this many wrong secrets in a row the account needs an online sign-in again: a stolen
# tablet cannot be brute-forced through the app's own screen.
MAX_FAILED_SIGN_INS = 10


class SignInRefused(Exception):
    """Offline sign-in failed; ``reason`` is ``unknown_user``, ``wrong_secret`` or ``locked``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Profile:
    """Who the server says the user is, as returned by ``/auth/me`` at the online sign-in."""

    username: str
    full_name: str
    role: str
    server_user_id: int | None = None


@dataclass(frozen=True)
class Account:
    """A signed-in user: their local id, profile and unwrapped data key (memory only)."""

    user_id: int
    profile: Profile
    data_key: bytes


def _now() -> datetime:
    return datetime.now(UTC)


class Accounts:
    """The users known on this tablet."""

    def __init__(
        self,
        db: sqlite3.Connection,
        kdf_cost: int = crypto.DEFAULT_COST,
        now: Callable[[], datetime] = _now,
    ) -> None:
        self.db = db
        self.kdf_cost = kdf_cost
        self.now = now

    def known(self) -> list[str]:
        """Return the usernames that may sign in offline, most recently online first."""
        rows = self.db.execute("SELECT username FROM users ORDER BY last_online_at DESC, username")
        return [row["username"] for row in rows]

    def remember(self, profile: Profile, secret: str, tokens: dict[str, object]) -> Account:
        """Record a successful online sign-in and return the account.

        A new user gets a fresh data key. A known user keeps theirs (their drafts stay
        readable), re-wrapped under the secret just checked by the server, which may be new.
        """
        row = self.db.execute(
            "SELECT * FROM users WHERE username = ?", (profile.username,)
        ).fetchone()
        data_key = crypto.new_data_key()
        if row is not None:
            try:
                data_key = crypto.unwrap_key(_key_params(row), secret, row["wrapped_key"])
            except crypto.WrongSecret:
                # The password changed on the server; the old key is only recoverable with
                # the old secret, which we do not have. Keep the old rows sealed but start a
                # new key: drafts sealed under the old key become unreadable, never exposed.
                data_key = crypto.new_data_key()
        verify, wrap = KdfParams.fresh(self.kdf_cost), KdfParams.fresh(self.kdf_cost)
        values = {
            "username": profile.username,
            "server_user_id": profile.server_user_id,
            "full_name": profile.full_name,
            "role": profile.role,
            "kdf_salt": verify.salt,
            "kdf_n": verify.n,
            "kdf_r": verify.r,
            "kdf_p": verify.p,
            "verifier": verify.derive(secret),
            "key_salt": wrap.salt,
            "wrapped_key": crypto.wrap_key(wrap, secret, data_key),
            "sealed_tokens": crypto.seal(data_key, json.dumps(tokens).encode(), b"tokens"),
            "now": self.now().isoformat(),
        }
        if row is None:
            self.db.execute(
                "INSERT INTO users (username, server_user_id, full_name, role, kdf_salt, kdf_n,"
                " kdf_r, kdf_p, verifier, key_salt, wrapped_key, sealed_tokens, created_at,"
                " last_online_at) VALUES (:username, :server_user_id, :full_name, :role,"
                " :kdf_salt, :kdf_n, :kdf_r, :kdf_p, :verifier, :key_salt, :wrapped_key,"
                " :sealed_tokens, :now, :now)",
                values,
            )
        else:
            self.db.execute(
                "UPDATE users SET server_user_id = :server_user_id, full_name = :full_name,"
                " role = :role, kdf_salt = :kdf_salt, kdf_n = :kdf_n, kdf_r = :kdf_r,"
                " kdf_p = :kdf_p, verifier = :verifier, key_salt = :key_salt,"
                " wrapped_key = :wrapped_key, sealed_tokens = :sealed_tokens,"
                " last_online_at = :now, failed_sign_ins = 0 WHERE username = :username",
                values,
            )
        user_id = self.db.execute(
            "SELECT id FROM users WHERE username = ?", (profile.username,)
        ).fetchone()["id"]
        return Account(user_id, profile, data_key)

    def sign_in_offline(self, username: str, secret: str) -> Account:
        """Return the account when ``secret`` matches the local verifier.

        Raises ``SignInRefused``: ``unknown_user`` (never signed in online here),
        ``wrong_secret``, or ``locked`` after ``MAX_FAILED_SIGN_INS`` failures in a row.
        """
        row = self.db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            raise SignInRefused("unknown_user")
        if row["failed_sign_ins"] >= MAX_FAILED_SIGN_INS:
            raise SignInRefused("locked")
        params = KdfParams(row["kdf_salt"], row["kdf_n"], row["kdf_r"], row["kdf_p"])
        if not crypto.verifier_matches(params, secret, row["verifier"]):
            self.db.execute(
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = ?", (row["id"],)
            )
            raise SignInRefused("wrong_secret")
        self.db.execute("UPDATE users SET failed_sign_ins = 0 WHERE id = ?", (row["id"],))
        data_key = crypto.unwrap_key(_key_params(row), secret, row["wrapped_key"])
        profile = Profile(row["username"], row["full_name"], row["role"], row["server_user_id"])
        return Account(row["id"], profile, data_key)

    def tokens(self, account: Account) -> dict[str, object]:
        """Return the server tokens saved at the last online sign-in (for the sync client)."""
        row = self.db.execute(
            "SELECT sealed_tokens FROM users WHERE id = ?", (account.user_id,)
        ).fetchone()
        if row is None or row["sealed_tokens"] is None:
            return {}
        found: dict[str, object] = json.loads(
            crypto.unseal(account.data_key, row["sealed_tokens"], b"tokens")
        )
        return found

    def save_tokens(self, account: Account, tokens: dict[str, object]) -> None:
        """Keep the tokens the server issued on a refresh (the old refresh token is spent)."""
        self.db.execute(
            "UPDATE users SET sealed_tokens = ? WHERE id = ?",
            (
                crypto.seal(account.data_key, json.dumps(tokens).encode(), b"tokens"),
                account.user_id,
            ),
        )


def _key_params(row: sqlite3.Row) -> KdfParams:
    return KdfParams(row["key_salt"], row["kdf_n"], row["kdf_r"], row["kdf_p"])
