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

from mobile.facades.keystore import Keystore, KeystoreRefused, default_keystore
from mobile.store import crypto
from mobile.store.crypto import KeyParams, ScryptParams
from mobile.store.ledger import Ledger, ledger_beside

# After this many wrong secrets in a row the account needs an online sign-in again: a stolen
# tablet cannot be brute-forced through the app's own screen.
MAX_FAILED_SIGN_INS = 10


class SignInRefused(Exception):
    """Offline sign-in failed; ``reason`` is ``unknown_user``, ``wrong_secret`` or ``locked``
    (too many failures, the failure count altered or missing, or the Keystore key gone: each
    needs an online sign-in)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unopenable(Exception):
    """The right secret could not open this row: its Keystore key is gone or the row was
    altered."""


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
    """The users known on this tablet. ``kdf_cost`` is Argon2id's memory in KiB; ``keystore``
    and ``ledger`` default to the Android Keystore where there is one and to the ledger beside
    the database file."""

    def __init__(
        self,
        db: sqlite3.Connection,
        kdf_cost: int = crypto.DEFAULT_COST,
        now: Callable[[], datetime] = _now,
        keystore: Keystore | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        self.db = db
        self.kdf_cost = kdf_cost
        self.now = now
        self.keystore = keystore if keystore is not None else default_keystore()
        self.ledger = ledger if ledger is not None else ledger_beside(db)

    def known(self) -> list[str]:
        """Return the usernames that may sign in offline, most recently online first."""
        rows = self.db.execute("SELECT username FROM users ORDER BY last_online_at DESC, username")
        return [row["username"] for row in rows]

    def remember(self, profile: Profile, secret: str, tokens: dict[str, object]) -> Account:
        """Record a successful online sign-in and return the account.

        A new user gets a fresh data key. A known user keeps theirs (their drafts stay
        readable), re-wrapped under the secret just checked by the server, which may be new.
        The failure count starts again at zero in both places.
        """
        row = self.db.execute(
            "SELECT * FROM users WHERE username = ?", (profile.username,)
        ).fetchone()
        data_key = crypto.new_data_key()
        if row is not None:
            try:
                data_key = self._unwrap(row, secret)
            except (crypto.WrongSecret, Unopenable):
                # The password changed on the server (or the Keystore key is gone); the old key
                # is only recoverable with what we do not have. Keep the old rows sealed but
                # start a new key: drafts sealed under the old key become unreadable, never
                # exposed.
                data_key = crypto.new_data_key()
        values = {
            **self._wrapped(profile.username, secret, data_key),
            "username": profile.username,
            "server_user_id": profile.server_user_id,
            "full_name": profile.full_name,
            "role": profile.role,
            "sealed_tokens": crypto.seal(data_key, json.dumps(tokens).encode(), b"tokens"),
            "now": self.now().isoformat(),
        }
        self.ledger.write(profile.username, 0)
        if row is None:
            self.db.execute(
                "INSERT INTO users (username, server_user_id, full_name, role, kdf_salt, kdf_n,"
                " kdf_r, kdf_p, verifier, key_salt, wrapped_key, key_params, keystore,"
                " sealed_tokens, created_at, last_online_at) VALUES (:username,"
                " :server_user_id, :full_name, :role, :kdf_salt, :kdf_n, :kdf_r, :kdf_p,"
                " :verifier, :key_salt, :wrapped_key, :key_params, :keystore, :sealed_tokens,"
                " :now, :now)",
                values,
            )
        else:
            self.db.execute(
                "UPDATE users SET server_user_id = :server_user_id, full_name = :full_name,"
                " role = :role, kdf_salt = :kdf_salt, kdf_n = :kdf_n, kdf_r = :kdf_r,"
                " kdf_p = :kdf_p, verifier = :verifier, key_salt = :key_salt,"
                " wrapped_key = :wrapped_key, key_params = :key_params, keystore = :keystore,"
                " sealed_tokens = :sealed_tokens, last_online_at = :now, failed_sign_ins = 0"
                " WHERE username = :username",
                values,
            )
        user_id = self.db.execute(
            "SELECT id FROM users WHERE username = ?", (profile.username,)
        ).fetchone()["id"]
        return Account(user_id, profile, data_key)

    def sign_in_offline(self, username: str, secret: str) -> Account:
        """Return the account when ``secret`` opens the user's data key.

        Raises ``SignInRefused``: ``unknown_user`` (never signed in online here),
        ``wrong_secret``, or ``locked`` (see ``SignInRefused``). The attempt is counted before
        the secret is tried, so stopping the app mid-check does not save a guess; a success
        resets the count, and moves a row still in the scrypt scheme on to Argon2id.
        """
        row = self.db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            raise SignInRefused("unknown_user")
        failures = row["failed_sign_ins"]
        recorded = self.ledger.read(username)
        # A row still in the scrypt scheme may predate the ledger; any other must match it.
        if recorded != failures and (recorded is not None or row["key_params"] is not None):
            raise SignInRefused("locked")
        if failures >= MAX_FAILED_SIGN_INS:
            raise SignInRefused("locked")
        self._count_failures(username, failures + 1)
        try:
            data_key = self._unwrap(row, secret)
        except crypto.WrongSecret:
            raise SignInRefused("wrong_secret") from None
        except Unopenable:
            raise SignInRefused("locked") from None
        if row["key_params"] is None:
            values = {**self._wrapped(username, secret, data_key), "username": username}
            self.db.execute(
                "UPDATE users SET kdf_salt = :kdf_salt, kdf_n = :kdf_n, kdf_r = :kdf_r,"
                " kdf_p = :kdf_p, verifier = :verifier, key_salt = :key_salt,"
                " wrapped_key = :wrapped_key, key_params = :key_params, keystore = :keystore"
                " WHERE username = :username",
                values,
            )
        self._count_failures(username, 0)
        profile = Profile(row["username"], row["full_name"], row["role"], row["server_user_id"])
        return Account(row["id"], profile, data_key)

    def _count_failures(self, username: str, failures: int) -> None:
        # Ledger first: stopped between the two writes, the copies disagree and the user is
        # locked out until an online sign-in, never let off a count.
        self.ledger.write(username, failures)
        self.db.execute(
            "UPDATE users SET failed_sign_ins = ? WHERE username = ?", (failures, username)
        )

    def _wrapped(self, username: str, secret: str, data_key: bytes) -> dict[str, object]:
        """Return the columns holding ``data_key`` wrapped under ``secret`` in the current
        scheme; the scrypt scheme's columns are emptied (they are NOT NULL from step 1)."""
        params = KeyParams.fresh(self.kdf_cost)
        wrapped = crypto.wrap_key(params, secret, data_key, username)
        if self.keystore is not None:
            wrapped = self.keystore.seal(wrapped)
        return {
            "kdf_salt": b"",
            "kdf_n": 0,
            "kdf_r": 0,
            "kdf_p": 0,
            "verifier": b"",
            "key_salt": b"",
            "wrapped_key": wrapped,
            "key_params": params.to_json(),
            "keystore": None if self.keystore is None else self.keystore.name,
        }

    def _unwrap(self, row: sqlite3.Row, secret: str) -> bytes:
        """Return the row's data key; raise ``crypto.WrongSecret`` or ``Unopenable``."""
        if row["key_params"] is None:
            if not row["verifier"]:
                raise Unopenable("the key's parameters were removed")
            try:
                return crypto.unwrap_scrypt_key(
                    ScryptParams(row["kdf_salt"], row["kdf_n"], row["kdf_r"], row["kdf_p"]),
                    row["verifier"],
                    ScryptParams(row["key_salt"], row["kdf_n"], row["kdf_r"], row["kdf_p"]),
                    secret,
                    row["wrapped_key"],
                )
            except ValueError as error:  # scrypt refuses the costs it was given
                raise Unopenable(str(error)) from None
        wrapped = row["wrapped_key"]
        if row["keystore"] is not None:
            if self.keystore is None or self.keystore.name != row["keystore"]:
                raise Unopenable(f"{row['keystore']} is not on this device")
            try:
                wrapped = self.keystore.unseal(wrapped)
            except KeystoreRefused as refused:
                raise Unopenable(str(refused)) from None
        return crypto.unwrap_key(
            KeyParams.from_json(row["key_params"]), secret, wrapped, row["username"]
        )

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
