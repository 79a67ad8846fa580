"""Secrets on the tablet: each user's data key, wrapped under their secret, and sealed records.

Each user has a random data key. It never leaves the tablet unwrapped: it is sealed (AES-GCM)
under a key that Argon2id derives from the user's secret, which is their server password, and on
Android sealed once more under a key of the Android Keystore (``mobile/facades/keystore.py``).
There is no separate verifier: the AES-GCM tag of the wrapped key is what tells a wrong secret,
so a copied database offers one Argon2id per guess and nothing cheaper. The threat model is in
docs/android.md ("The tablet key").

Rows written before this scheme hold an scrypt (N=2^14) verifier and an scrypt-wrapped key;
``ScryptParams`` reads them once, and the account is re-wrapped on its next successful unlock.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# Argon2id's memory in KiB: 64 MiB with two passes takes about 0.3 s on one desktop core and
# about half a second on a 10-inch tablet, once per sign-in. A guessing rig pays the same 64 MiB
# per guess, which is what keeps GPUs from running thousands of guesses side by side.
DEFAULT_COST = 2**16
ITERATIONS = 2
LANES = 1
# What the wrapped key's AES-GCM tag authenticates besides the key: the scheme and the user, so a
# wrapped key copied onto another user's row does not open there.
_WRAP_CONTEXT = b"rasoat/data-key/argon2id/"


class WrongSecret(Exception):
    """The secret does not open this user's data key."""


@dataclass(frozen=True)
class KeyParams:
    """Argon2id's salt and cost, stored with the user so the cost can rise in later versions."""

    salt: bytes
    memory_kib: int = DEFAULT_COST
    iterations: int = ITERATIONS
    lanes: int = LANES

    @classmethod
    def fresh(cls, memory_kib: int = DEFAULT_COST) -> KeyParams:
        """Return parameters with a new random salt."""
        return cls(os.urandom(SALT_BYTES), memory_kib)

    def derive(self, secret: str) -> bytes:
        """Return the 32-byte key Argon2id derives from ``secret``."""
        kdf = Argon2id(
            salt=self.salt,
            length=KEY_BYTES,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret.encode("utf-8"))

    def to_json(self) -> str:
        """Return the parameters as stored in ``users.key_params``."""
        return json.dumps(
            {
                "kdf": "argon2id",
                "salt": self.salt.hex(),
                "memory_kib": self.memory_kib,
                "iterations": self.iterations,
                "lanes": self.lanes,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> KeyParams:
        """Return the parameters stored by ``to_json``."""
        found = json.loads(text)
        if found.get("kdf") != "argon2id":
            raise ValueError(f"unknown key derivation {found.get('kdf')!r}")
        return cls(
            bytes.fromhex(found["salt"]),
            int(found["memory_kib"]),
            int(found["iterations"]),
            int(found["lanes"]),
        )


def new_data_key() -> bytes:
    """Return a fresh random data key."""
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, context: bytes = b"") -> bytes:
    """Return nonce + AES-GCM ciphertext; ``context`` (a row's identity) is authenticated, so a
    sealed value copied onto another row does not open."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def unseal(key: bytes, sealed: bytes, context: bytes = b"") -> bytes:
    """Return the plaintext of ``seal``; raise ``WrongSecret`` if the key or context differ."""
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
    except InvalidTag:
        raise WrongSecret from None


def wrap_key(params: KeyParams, secret: str, data_key: bytes, username: str) -> bytes:
    """Return ``username``'s data key sealed under the key Argon2id derives from ``secret``."""
    return seal(params.derive(secret), data_key, _WRAP_CONTEXT + username.encode())


def unwrap_key(params: KeyParams, secret: str, wrapped: bytes, username: str) -> bytes:
    """Return the data key; raise ``WrongSecret`` for the wrong secret."""
    return unseal(params.derive(secret), wrapped, _WRAP_CONTEXT + username.encode())


@dataclass(frozen=True)
class ScryptParams:
    """The scheme rows were written with before Argon2id (read only, to migrate them)."""

    salt: bytes
    n: int
    r: int
    p: int

    def derive(self, secret: str) -> bytes:
        """Return the 32-byte key scrypt derives from ``secret``."""
        kdf = Scrypt(salt=self.salt, length=KEY_BYTES, n=self.n, r=self.r, p=self.p)
        return kdf.derive(secret.encode("utf-8"))


def unwrap_scrypt_key(
    verify: ScryptParams, verifier: bytes, wrap: ScryptParams, secret: str, wrapped: bytes
) -> bytes:
    """Return the data key of a row in the scrypt scheme; raise ``WrongSecret`` when ``secret``
    does not derive its verifier."""
    if not hmac.compare_digest(verify.derive(secret), verifier):
        raise WrongSecret
    return unseal(wrap.derive(secret), wrapped, b"data-key")
