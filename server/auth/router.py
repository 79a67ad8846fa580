"""HTTP endpoints of sign-in, users and devices."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.auth import repository, service
from server.auth.dependencies import SecurityDep, SignedIn, UserManager
from server.auth.models import User
from server.auth.policy import Scope
from server.auth.schemas import (
    DeviceOut,
    LoginIn,
    Me,
    PasswordIn,
    RefreshIn,
    ScopeOut,
    TokensOut,
    UserIn,
    UserOut,
)
from server.auth.service import actor_of
from server.db import DbSession, utcnow
from server.ids import PathId
from server.settings import Settings

router = APIRouter(tags=["auth"])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _tokens(tokens: service.Tokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        expires_in=tokens.expires_in,
        refresh_token=tokens.refresh_token,
        device_id=tokens.device.id,
    )


def _user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        scope_kind=user.scope_kind,
        province_id=user.province_id,
        commune_id=user.commune_id,
        hamlet_ids=sorted(link.hamlet_id for link in user.hamlets),
        active=user.active,
    )


@router.post("/auth/login", response_model=TokensOut)
def login(body: LoginIn, session: DbSession, security: SecurityDep, request: Request) -> TokensOut:
    """Sign in on a device: an access token (minutes) and a refresh token bound to the device."""
    tokens = service.login(
        session,
        security,
        _settings(request),
        body.username,
        body.password,
        body.device_id,
        body.device_name,
        utcnow(),
        request.client.host if request.client else "unknown",
    )
    return _tokens(tokens)


@router.post("/auth/refresh", response_model=TokensOut)
def refresh(body: RefreshIn, session: DbSession, security: SecurityDep) -> TokensOut:
    """Exchange a refresh token (once) for new tokens."""
    return _tokens(service.refresh(session, security, body.refresh_token, utcnow()))


@router.post("/auth/logout", status_code=204)
def logout(principal: SignedIn, session: DbSession) -> Response:
    """Sign out: revoke the current device."""
    service.revoke_device(session, principal, principal.device_id, utcnow())
    return Response(status_code=204)


@router.get("/auth/me", response_model=Me)
def me(principal: SignedIn, session: DbSession) -> Me:
    """The signed-in user, their role, scope and permissions."""
    user = repository.user(session, principal.user_id)
    assert user is not None
    scope = principal.scope
    return Me(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=principal.role,
        scope=ScopeOut(
            kind=scope.kind,
            province_id=scope.province_id,
            commune_id=scope.commune_id,
            hamlet_ids=sorted(scope.hamlet_ids),
        ),
        permissions=sorted(principal.permissions),
        device_id=principal.device_id,
    )


@router.get("/devices", response_model=list[DeviceOut])
def devices(principal: SignedIn, session: DbSession) -> list[DeviceOut]:
    """Your devices, and those of the users you manage."""
    return [DeviceOut.model_validate(d) for d in service.visible_devices(session, principal)]


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke(device_id: PathId, principal: SignedIn, session: DbSession) -> DeviceOut:
    """Revoke a device; its tokens stop working at once."""
    return DeviceOut.model_validate(service.revoke_device(session, principal, device_id, utcnow()))


@router.get("/users", response_model=list[UserOut])
def users(principal: UserManager, session: DbSession) -> list[UserOut]:
    """Users inside your scope."""
    return [_user_out(user) for user in service.visible_users(session, principal)]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(
    body: UserIn, principal: UserManager, session: DbSession, security: SecurityDep
) -> UserOut:
    """Create a user with a role over a scope inside yours."""
    scope = Scope(
        kind=body.scope_kind,
        province_id=body.province_id,
        commune_id=body.commune_id,
        hamlet_ids=frozenset(body.hamlet_ids),
    )
    user = service.create_user_as(
        session,
        security,
        principal,
        body.username,
        body.full_name,
        body.password,
        body.role,
        scope,
    )
    return _user_out(user)


@router.post("/users/{user_id}/disable", response_model=UserOut)
def disable_user(user_id: PathId, principal: UserManager, session: DbSession) -> UserOut:
    """Disable a user inside your scope: they cannot sign in and their sessions end."""
    user = service.managed_user(session, principal, user_id)
    return _user_out(service.set_active(session, actor_of(principal), user, False, utcnow()))


@router.post("/users/{user_id}/enable", response_model=UserOut)
def enable_user(user_id: PathId, principal: UserManager, session: DbSession) -> UserOut:
    """Enable a disabled user inside your scope again."""
    user = service.managed_user(session, principal, user_id)
    return _user_out(service.set_active(session, actor_of(principal), user, True, utcnow()))


@router.put("/users/{user_id}/password", response_model=UserOut)
def reset_password(
    user_id: PathId,
    body: PasswordIn,
    principal: UserManager,
    session: DbSession,
    security: SecurityDep,
) -> UserOut:
    """Set a new password for a user inside your scope; their sessions end."""
    user = service.managed_user(session, principal, user_id)
    actor = actor_of(principal)
    return _user_out(
        service.reset_password(session, security, actor, user, body.password, utcnow())
    )


@router.post("/users/{user_id}/end-sessions", response_model=UserOut)
def end_sessions(user_id: PathId, principal: UserManager, session: DbSession) -> UserOut:
    """Sign a user inside your scope out on every device at once."""
    user = service.managed_user(session, principal, user_id)
    return _user_out(service.end_sessions(session, actor_of(principal), user, utcnow()))
