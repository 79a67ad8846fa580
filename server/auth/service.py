"""Signing in, refreshing, revoking devices, and managing users."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth import repository
from server.auth.models import Device, SignInAttempts, User, UserHamlet
from server.auth.policy import (
    Permission,
    Place,
    Principal,
    Role,
    Scope,
    ScopeKind,
    check_role_scope,
    require,
)
from server.auth.security import (
    Security,
    new_refresh_token,
    refresh_token_device,
    same_hash,
)
from server.db import COMMIT_ON_ERROR
from server.geography import repository as geography
from server.settings import Settings
from shared.errors import ErrorCode, RasoatError


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    device: Device
    user: User


def actor_of(principal: Principal) -> Actor:
    """Return the audit actor for a signed-in principal."""
    return Actor(principal.user_id, principal.username)


def principal_of(user: User, device_id: int) -> Principal:
    """Return the principal of ``user`` signed in on ``device_id``."""
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        scope=repository.scope_of(user),
        device_id=device_id,
    )


def _issue(
    session: Session,
    security: Security,
    user: User,
    device: Device,
    now: datetime,
    retired: tuple[str | None, datetime | None] = (None, None),
) -> Tokens:
    """Issue tokens for the device; ``retired`` is the refresh token (its hash) that stays
    usable in the grace period, and when it was retired."""
    refresh, stored = new_refresh_token(device.id)
    device.previous_refresh_hash, device.refresh_rotated_at = retired
    device.refresh_token_hash = stored
    device.refresh_expires_at = now + security.refresh_lifetime
    device.last_seen_at = now
    session.flush()
    return Tokens(
        access_token=security.access_token(user.id, device.id, now, user.session_generation),
        refresh_token=refresh,
        expires_in=int(security.access_lifetime.total_seconds()),
        device=device,
        user=user,
    )


def _attempts_keys(username: str, address: str) -> tuple[str, str]:
    return f"account:{username.casefold()}"[:160], f"address:{address}"[:160]


def _locked_for(session: Session, keys: tuple[str, ...], now: datetime) -> int | None:
    """Return the minutes left of the longest lock-out among ``keys``, or None."""
    until = [
        row.locked_until
        for row in (repository.sign_in_attempts(session, key) for key in keys)
        if row is not None and row.locked_until is not None and row.locked_until > now
    ]
    return math.ceil((max(until) - now).total_seconds() / 60) if until else None


def _count_failure(
    session: Session, settings: Settings, key: str, threshold: int, now: datetime
) -> bool:
    """Count a failed sign-in against ``key``; return True when it locks ``key`` now.
    Failures further apart than the lock-out period do not add up."""
    window = timedelta(minutes=settings.lockout_minutes)
    row = repository.sign_in_attempts(session, key)
    if row is None:
        row = SignInAttempts(key=key, failures=0, last_failure_at=now)
        repository.add(session, row)
    elif now - row.last_failure_at > window:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures < threshold:
        return False
    row.failures = 0
    row.locked_until = now + window
    return True


def login(
    session: Session,
    security: Security,
    settings: Settings,
    username: str,
    password: str,
    install_id: str,
    device_name: str,
    now: datetime,
    address: str,
) -> Tokens:
    """Return tokens for the user on the device; raise INVALID_CREDENTIALS, ACCOUNT_LOCKED,
    ACCOUNT_DISABLED or DEVICE_REVOKED.

    Failures are counted (and kept even though the request fails) per name typed and per
    caller address; ``lockout_failures`` in a row lock the name, ``address_lockout_failures``
    the address, for ``lockout_minutes``. A name that belongs to nobody is counted and locked
    the same way, so the answers never tell which usernames exist. A disabled account is
    told so only with its right password."""
    keys = _attempts_keys(username, address)
    minutes = _locked_for(session, keys, now)
    if minutes is not None:
        raise RasoatError(ErrorCode.ACCOUNT_LOCKED, minutes=minutes)
    user = repository.user_by_username(session, username)
    if not security.verify_password(None if user is None else user.password_hash, password):
        session.info[COMMIT_ON_ERROR] = True
        account, place = keys
        locked = _count_failure(session, settings, account, settings.lockout_failures, now)
        crowded = _count_failure(session, settings, place, settings.address_lockout_failures, now)
        if locked and user is not None:
            record(session, Actor(user.id, user.username), "lock", "user", user.id, at=now)
        session.flush()
        if locked or crowded:
            raise RasoatError(ErrorCode.ACCOUNT_LOCKED, minutes=settings.lockout_minutes)
        raise RasoatError(ErrorCode.INVALID_CREDENTIALS)
    assert user is not None
    if not user.active:
        raise RasoatError(ErrorCode.ACCOUNT_DISABLED)
    repository.clear_sign_in_attempts(session, keys[0])
    device = repository.device_of(session, user.id, install_id)
    if device is None:
        device = Device(user_id=user.id, install_id=install_id, name=device_name, created_at=now)
        repository.add(session, device)
        record(
            session,
            Actor(user.id, user.username),
            "register",
            "device",
            device.id,
            after={"install_id": install_id, "name": device_name},
            at=now,
        )
    elif device.revoked_at is not None:
        raise RasoatError(ErrorCode.DEVICE_REVOKED)
    return _issue(session, security, user, device, now)


def refresh(session: Session, security: Security, token: str, now: datetime) -> Tokens:
    """Return fresh tokens for a refresh token, which is replaced (one use only).

    A token the last refresh retired is accepted again within the grace period: the answer
    to that refresh may have been lost on a weak link, leaving the tablet with the old token
    and no new one. Once the new token is used, the old one is gone for good, since that
    refresh retires the new one in its place."""
    device_id = refresh_token_device(token)
    device = None if device_id is None else repository.device(session, device_id)
    if device is None:
        raise RasoatError(ErrorCode.TOKEN_EXPIRED)
    if same_hash(device.refresh_token_hash, token):
        retired = (device.refresh_token_hash, now)
    elif (
        same_hash(device.previous_refresh_hash, token)
        and device.refresh_rotated_at is not None
        and now - device.refresh_rotated_at <= security.refresh_grace
    ):
        # The grace runs from the first retirement, however often the answer is lost.
        retired = (device.previous_refresh_hash, device.refresh_rotated_at)
    else:
        raise RasoatError(ErrorCode.TOKEN_EXPIRED)
    if device.revoked_at is not None:
        raise RasoatError(ErrorCode.DEVICE_REVOKED)
    if device.refresh_expires_at is None or device.refresh_expires_at <= now:
        raise RasoatError(ErrorCode.TOKEN_EXPIRED)
    user = repository.user(session, device.user_id)
    if user is None or not user.active:
        raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
    return _issue(session, security, user, device, now, retired)


def authenticate(session: Session, security: Security, token: str) -> Principal:
    """Return the principal of a valid access token whose device is not revoked."""
    claims = security.read_access_token(token)
    device = repository.device(session, claims.device_id)
    if device is None or device.user_id != claims.user_id:
        raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
    if device.revoked_at is not None:
        raise RasoatError(ErrorCode.DEVICE_REVOKED)
    user = repository.user(session, claims.user_id)
    if user is None or not user.active:
        raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
    if claims.generation != user.session_generation:
        raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
    return principal_of(user, device.id)


def _place_of_user(session: Session, user: User) -> list[Place]:
    scope = repository.scope_of(user)
    if scope.kind is ScopeKind.HAMLETS:
        return [
            geography.place_of(h)
            for h in geography.hamlets_by_id(session, scope.hamlet_ids).values()
        ]
    if scope.kind is ScopeKind.COMMUNE and user.commune_id is not None:
        commune = geography.commune(session, user.commune_id)
        return [] if commune is None else [geography.place_of_commune(commune)]
    return [Place(None, -1, user.province_id or -1)]


def manages(session: Session, principal: Principal, user: User) -> bool:
    """Return True when ``user``'s whole scope lies inside the principal's scope."""
    return principal.scope.contains(repository.scope_of(user), _place_of_user(session, user))


def revoke_device(session: Session, principal: Principal, device_id: int, now: datetime) -> Device:
    """Revoke a device: the principal's own, or one of a user they manage. Its tokens stop
    working at once."""
    device = repository.device(session, device_id)
    if device is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"device {device_id}")
    if device.user_id != principal.user_id:
        require(principal, Permission.MANAGE_DEVICES)
        owner = repository.user(session, device.user_id)
        if owner is None or not manages(session, principal, owner):
            raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    if device.revoked_at is None:
        device.revoked_at = now
        device.revoked_by = principal.user_id
        device.refresh_token_hash = device.previous_refresh_hash = None
        session.flush()
        record(session, actor_of(principal), "revoke", "device", device.id, at=now)
    return device


def visible_devices(session: Session, principal: Principal) -> list[Device]:
    """Return the principal's devices, and those of users they manage when allowed to."""
    if not principal.can(Permission.MANAGE_DEVICES):
        return repository.devices_of_users(session, [principal.user_id])
    users = [u.id for u in repository.users_in_scope(session, principal.scope)]
    return repository.devices_of_users(session, sorted({principal.user_id, *users}))


def create_user(
    session: Session,
    security: Security,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    scope: Scope,
) -> User:
    """Return a new user with ``role`` over ``scope``; raise CONFLICT or INVALID_REQUEST."""
    check_role_scope(role, scope.kind)
    if len(password) < 8:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="password shorter than 8 characters")
    if repository.user_by_username(session, username) is not None:
        raise RasoatError(ErrorCode.CONFLICT, problem=f"username {username} is taken")
    province_id, commune_id = scope.province_id, scope.commune_id
    if scope.kind is ScopeKind.HAMLETS:
        found = geography.hamlets_by_id(session, scope.hamlet_ids)
        if not found or len(found) != len(scope.hamlet_ids):
            raise RasoatError(ErrorCode.INVALID_REQUEST, problem="unknown or missing hamlets")
        province_id, commune_id = None, None
    elif scope.kind is ScopeKind.COMMUNE:
        commune = None if commune_id is None else geography.commune(session, commune_id)
        if commune is None:
            raise RasoatError(ErrorCode.INVALID_REQUEST, problem="unknown commune")
        province_id = None
    else:
        if province_id is None or geography.province(session, province_id) is None:
            raise RasoatError(ErrorCode.INVALID_REQUEST, problem="unknown province")
        commune_id = None
    user = User(
        username=username,
        full_name=full_name,
        password_hash=security.hash_password(password),
        role=role.value,
        scope_kind=scope.kind.value,
        province_id=province_id,
        commune_id=commune_id,
        hamlets=[UserHamlet(hamlet_id=h) for h in sorted(scope.hamlet_ids)],
    )
    repository.add(session, user)
    record(
        session,
        actor,
        "create",
        "user",
        user.id,
        after={
            "username": username,
            "role": role.value,
            "scope": scope.kind.value,
            "province_id": province_id,
            "commune_id": commune_id,
            "hamlet_ids": sorted(scope.hamlet_ids),
        },
    )
    return user


def create_user_as(
    session: Session,
    security: Security,
    principal: Principal,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    scope: Scope,
) -> User:
    """Create a user on behalf of ``principal``, who must manage users and cover the new
    user's whole scope."""
    require(principal, Permission.MANAGE_USERS)
    user = create_user(
        session, security, actor_of(principal), username, full_name, password, role, scope
    )
    if not manages(session, principal, user):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    return user


def visible_users(session: Session, principal: Principal) -> list[User]:
    """Return the users inside the principal's scope."""
    require(principal, Permission.MANAGE_USERS)
    return repository.users_in_scope(session, principal.scope)


def managed_user(session: Session, principal: Principal, user_id: int) -> User:
    """Return a user the principal manages: MANAGE_USERS over the user's whole scope."""
    require(principal, Permission.MANAGE_USERS)
    user = repository.user(session, user_id)
    if user is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"user {user_id}")
    if not manages(session, principal, user):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    return user


def end_sessions(session: Session, actor: Actor, user: User, now: datetime) -> User:
    """Sign the user out everywhere: their access tokens stop working at once and no
    refresh token of theirs is accepted; their devices stay registered."""
    user.session_generation += 1
    for device in repository.devices_of_users(session, [user.id]):
        device.refresh_token_hash = device.previous_refresh_hash = None
    session.flush()
    record(session, actor, "end_sessions", "user", user.id, at=now)
    return user


def set_active(session: Session, actor: Actor, user: User, active: bool, now: datetime) -> User:
    """Disable the account (its sessions end) or enable it again (its lock-out cleared)."""
    if user.active == active:
        return user
    if actor.user_id == user.id:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="you cannot disable yourself")
    user.active = active
    if active:
        repository.clear_sign_in_attempts(session, _attempts_keys(user.username, "")[0])
    else:
        end_sessions(session, actor, user, now)
    session.flush()
    record(session, actor, "enable" if active else "disable", "user", user.id, at=now)
    return user


def reset_password(
    session: Session, security: Security, actor: Actor, user: User, password: str, now: datetime
) -> User:
    """Give the user a new password; their sessions end and their lock-out is cleared."""
    if len(password) < 8:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="password shorter than 8 characters")
    user.password_hash = security.hash_password(password)
    repository.clear_sign_in_attempts(session, _attempts_keys(user.username, "")[0])
    end_sessions(session, actor, user, now)
    record(session, actor, "reset_password", "user", user.id, at=now)
    return user


def assign_hamlets(
    session: Session, principal: Principal, user: User, hamlet_ids: frozenset[int]
) -> User:
    """Give a user who works in hamlets (an enumerator, a hamlet head, a helping officer)
    these hamlets instead of theirs; the principal must manage the user and cover every new
    hamlet. The tablet's working set follows at its next pull."""
    require(principal, Permission.MANAGE_USERS)
    if not manages(session, principal, user):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    if ScopeKind(user.scope_kind) is not ScopeKind.HAMLETS:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the user does not work in hamlets")
    found = geography.hamlets_by_id(session, hamlet_ids)
    if not found or len(found) != len(hamlet_ids):
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="unknown or missing hamlets")
    if not all(principal.scope.covers(geography.place_of(h)) for h in found.values()):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    before = sorted(link.hamlet_id for link in user.hamlets)
    # Kept links stay as they are: a link deleted and inserted again in one flush would
    # collide on its primary key (the unit of work inserts before it deletes).
    user.hamlets = [link for link in user.hamlets if link.hamlet_id in hamlet_ids] + [
        UserHamlet(hamlet_id=h) for h in sorted(hamlet_ids) if h not in before
    ]
    session.flush()
    record(
        session,
        actor_of(principal),
        "assign_hamlets",
        "user",
        user.id,
        before={"hamlet_ids": before},
        after={"hamlet_ids": sorted(hamlet_ids)},
    )
    return user
