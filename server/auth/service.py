"""Signing in, refreshing, revoking devices, and managing users."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth import repository
from server.auth.models import Device, User, UserHamlet
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
        access_token=security.access_token(user.id, device.id, now),
        refresh_token=refresh,
        expires_in=int(security.access_lifetime.total_seconds()),
        device=device,
        user=user,
    )


def login(
    session: Session,
    security: Security,
    settings: Settings,
    username: str,
    password: str,
    install_id: str,
    device_name: str,
    now: datetime,
) -> Tokens:
    """Return tokens for the user on the device; raise INVALID_CREDENTIALS, ACCOUNT_LOCKED or
    DEVICE_REVOKED. Failures are counted (and kept even though the request fails); the
    account locks for ``lockout_minutes`` after ``lockout_failures`` failures in a row."""
    user = repository.user_by_username(session, username)
    if user is None:
        security.verify_password(None, password)
        raise RasoatError(ErrorCode.INVALID_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        minutes = math.ceil((user.locked_until - now).total_seconds() / 60)
        raise RasoatError(ErrorCode.ACCOUNT_LOCKED, minutes=minutes)
    if not security.verify_password(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        session.info[COMMIT_ON_ERROR] = True
        if user.failed_logins >= settings.lockout_failures:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            record(session, Actor(user.id, user.username), "lock", "user", user.id, at=now)
            session.flush()
            raise RasoatError(ErrorCode.ACCOUNT_LOCKED, minutes=settings.lockout_minutes)
        session.flush()
        raise RasoatError(ErrorCode.INVALID_CREDENTIALS)
    user.failed_logins = 0
    user.locked_until = None
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
    if user is None or not user.active or (user.locked_until and user.locked_until > now):
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
