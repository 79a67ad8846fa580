"""FastAPI dependencies that turn a bearer token into a principal holding a permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.auth import service
from server.auth.policy import Permission, Principal, require, require_any
from server.auth.security import Security
from server.db import DbSession
from shared.errors import ErrorCode, RasoatError

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")


def get_security(request: Request) -> Security:
    """Return the app's password and token helper."""
    security: Security = request.app.state.security
    return security


SecurityDep = Annotated[Security, Depends(get_security)]


def current_principal(
    session: DbSession,
    security: SecurityDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Return the signed-in principal or raise NOT_AUTHENTICATED, TOKEN_EXPIRED or
    DEVICE_REVOKED."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
    return service.authenticate(session, security, credentials.credentials)


def holding(permission: Permission) -> Callable[[Principal], Principal]:
    """Return a dependency giving the principal when their role grants ``permission``."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        require(principal, permission)
        return principal

    return dependency


def holding_any(*permissions: Permission) -> Callable[[Principal], Principal]:
    """Return a dependency giving the principal when their role grants any of
    ``permissions``."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        require_any(principal, *permissions)
        return principal

    return dependency


SignedIn = Annotated[Principal, Depends(current_principal)]
Reader = Annotated[Principal, Depends(holding(Permission.READ_REGISTRY))]
HouseholdEditor = Annotated[Principal, Depends(holding(Permission.EDIT_HOUSEHOLDS))]
Surveyor = Annotated[Principal, Depends(holding(Permission.SUBMIT_SURVEYS))]
UserManager = Annotated[Principal, Depends(holding(Permission.MANAGE_USERS))]
GeographyManager = Annotated[Principal, Depends(holding(Permission.MANAGE_GEOGRAPHY))]
AuditReader = Annotated[Principal, Depends(holding(Permission.READ_AUDIT))]
# Photos are evidence of a survey (enumerators) or of a support visit (helping officers).
Photographer = Annotated[
    Principal, Depends(holding_any(Permission.SUBMIT_SURVEYS, Permission.RECORD_VISITS))
]
