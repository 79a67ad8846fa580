"""Secrets on the tablet: a local verifier for offline sign-in and sealed (encrypted) records.

Each user has a random data key. It never leaves the tablet unwrapped: it is stored encrypted
(AES-GCM) under a key derived from the user's secret with scrypt, so a lost tablet gives away
neither the households' data nor the secret. The verifier is a second scrypt hash with its own
salt, so checking a PIN offline does not need to touch the data key.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# RFC 7914's interactive setting: about 16 MiB and 50 ms on a tablet, too slow to guess PINs
# in bulk from a copied database.
DEFAULT_COST = 2**14


class WrongSecret(Exception):
    """The secret does not open this user's data key."""


@dataclass(frozen=True)
class KdfParams:
    """scrypt's salt and cost, stored with the user so the cost can rise in later versions."""

    salt: bytes
    n: int = DEFAULT_COST
    r: int = 8
    p: int = 1

    @classmethod
    def fresh(cls, n: int = DEFAULT_COST) -> KdfParams:
        """Return parameters with a new random salt."""
        return cls(os.urandom(SALT_BYTES), n)

    def derive(self, secret: str) -> bytes:
        """Return the 32-byte key scrypt derives from ``secret``."""
        kdf = Scrypt(salt=self.salt, length=KEY_BYTES, n=self.n, r=self.r, p=self.p)
        return kdf.derive(secret.encode("utf-8"))


def verifier_matches(params: KdfParams, secret: str, verifier: bytes) -> bool:
    """Return True when ``secret`` derives ``verifier`` (compared in constant time)."""
    return hmac.compare_digest(params.derive(secret), verifier)


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


def wrap_key(params: KdfParams, secret: str, data_key: bytes) -> bytes:
    """Return the data key sealed under the key derived from ``secret``."""
    return seal(params.derive(secret), data_key, b"data-key")


def unwrap_key(params: KdfParams, secret: str, wrapped: bytes) -> bytes:
    """Return the data key; raise ``WrongSecret`` for the wrong secret."""
    return unseal(params.derive(secret), wrapped, b"data-key")
