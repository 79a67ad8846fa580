"""Password hashing (Argon2id) and tokens: short-lived signed access tokens and opaque
refresh tokens bound to a device."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.ids import MAX_ID
from server.settings import Settings
from shared.errors import ErrorCode, RasoatError

_ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    device_id: int
    generation: int


class Security:
    """Hashing and token operations configured from the settings."""

    def __init__(self, settings: Settings) -> None:
        self._secret = settings.secret_key.get_secret_value()
        self.access_lifetime = timedelta(minutes=settings.access_token_minutes)
        self.refresh_lifetime = timedelta(days=settings.refresh_token_days)
        self.refresh_grace = timedelta(seconds=settings.refresh_grace_seconds)
        self._hasher = PasswordHasher(
            time_cost=settings.password_time_cost, memory_cost=settings.password_memory_kib
        )
        self._dummy_hash = self._hasher.hash(secrets.token_hex(8))

    def hash_password(self, password: str) -> str:
        """Return the Argon2id hash of ``password``."""
        return self._hasher.hash(password)

    def verify_password(self, password_hash: str | None, password: str) -> bool:
        """Return True when ``password`` matches; without a hash, spend the same time and
        return False so unknown usernames cannot be told apart by timing."""
        try:
            return self._hasher.verify(password_hash or self._dummy_hash, password) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def access_token(self, user_id: int, device_id: int, now: datetime, generation: int = 0) -> str:
        """Return a signed access token for the user on the device, valid while the user's
        session generation is ``generation``."""
        claims = {
            "sub": str(user_id),
            "dev": device_id,
            "gen": generation,
            "iat": int(now.timestamp()),
            "exp": int((now + self.access_lifetime).timestamp()),
            "typ": "access",
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def read_access_token(self, token: str) -> AccessClaims:
        """Return the claims of a valid access token; raise TOKEN_EXPIRED or
        NOT_AUTHENTICATED otherwise."""
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]}
            )
        except jwt.ExpiredSignatureError:
            raise RasoatError(ErrorCode.TOKEN_EXPIRED) from None
        except jwt.PyJWTError:
            raise RasoatError(ErrorCode.NOT_AUTHENTICATED) from None
        if claims.get("typ") != "access" or not all(
            isinstance(claims.get(name), int) for name in ("dev", "gen")
        ):
            raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
        try:
            return AccessClaims(
                user_id=int(claims["sub"]), device_id=claims["dev"], generation=claims["gen"]
            )
        except ValueError:
            raise RasoatError(ErrorCode.NOT_AUTHENTICATED) from None


def new_refresh_token(device_id: int) -> tuple[str, str]:
    """Return a new refresh token for the device and the hash to store."""
    token = f"{device_id}.{secrets.token_urlsafe(32)}"
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """Return the stored form of a refresh token."""
    return hashlib.sha256(token.encode()).hexdigest()


def refresh_token_device(token: str) -> int | None:
    """Return the device id a refresh token names, or None when it is malformed."""
    head, _, rest = token.partition(".")
    if not (head.isdigit() and len(head) <= 10 and rest):
        return None
    device_id = int(head)
    return device_id if 1 <= device_id <= MAX_ID else None


def same_hash(stored: str | None, token: str) -> bool:
    """Return True when ``token`` hashes to ``stored`` (constant time)."""
    return stored is not None and hmac.compare_digest(stored, token_hash(token))
