"""The console's browser session: the same tokens a tablet holds, kept in a cookie.

Signing in goes through ``server.auth.service.login`` with a device of its own per sign-in
(``web-…``), so the session is listed, revoked and locked out exactly like a tablet's, and every
page acts as a ``Principal`` with the same role and scope as the API. The cookie carries the
access token and the refresh token; an expired access token is refreshed on the next page and
the cookie rewritten. Signing out revokes the session's device.

Every form carries a CSRF token: before sign-in, a random value also set in a cookie (double
submit); after, an HMAC of the session's device under the server's secret, which a page from
another site cannot compute.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from server.auth import service
from server.auth.policy import Principal
from server.auth.security import Security
from server.console.i18n import Lang, as_lang
from server.db import DbSession, utcnow
from server.settings import Settings
from shared.errors import ErrorCode, RasoatError

SESSION_COOKIE = "rasoat_console"
CSRF_COOKIE = "rasoat_csrf"
LANG_COOKIE = "rasoat_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
DEVICE_NAME = "Trình duyệt (bảng điều khiển)"
# A browser session lasts as long as the refresh token it holds.
_COOKIE_DAYS = 30


@dataclass
class Viewer:
    """Who is looking at a page, in which language, and what the response must set."""

    principal: Principal
    lang: Lang
    csrf: str
    tokens: tuple[str, str] | None = field(default=None)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _security(request: Request) -> Security:
    security: Security = request.app.state.security
    return security


def language(request: Request) -> Lang:
    """Return the language chosen in the console (Vietnamese unless English was chosen)."""
    return as_lang(request.cookies.get(LANG_COOKIE))


def device_token(request: Request, device_id: int) -> str:
    """Return the CSRF token of the session signed in on ``device_id``."""
    key = _settings(request).secret_key.get_secret_value().encode()
    return hmac.new(key, f"console-csrf:{device_id}".encode(), hashlib.sha256).hexdigest()


def _read_cookie(request: Request) -> tuple[str, str] | None:
    access, _, refresh = request.cookies.get(SESSION_COOKIE, "").partition("|")
    return (access, refresh) if access and refresh else None


def _principal(request: Request, session: Session) -> tuple[Principal, tuple[str, str] | None]:
    """Return the principal of the session cookie and, when the access token had to be
    refreshed, the new tokens to store."""
    tokens = _read_cookie(request)
    if tokens is None:
        raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
    security = _security(request)
    try:
        return service.authenticate(session, security, tokens[0]), None
    except RasoatError as error:
        if error.code is not ErrorCode.TOKEN_EXPIRED:
            raise
    fresh = service.refresh(session, security, tokens[1], utcnow())
    return service.authenticate(session, security, fresh.access_token), (
        fresh.access_token,
        fresh.refresh_token,
    )


def current_viewer(request: Request, session: DbSession) -> Viewer:
    """Return the signed-in viewer; raise NOT_AUTHENTICATED (the pages send them to sign in)."""
    principal, tokens = _principal(request, session)
    viewer = Viewer(principal, language(request), device_token(request, principal.device_id))
    viewer.tokens = tokens
    return viewer


async def checked_viewer(request: Request, session: DbSession) -> Viewer:
    """Return the signed-in viewer of a form post whose CSRF token is the session's."""
    viewer = current_viewer(request, session)
    form = await request.form()
    sent = request.headers.get(CSRF_HEADER) or str(form.get(CSRF_FIELD, ""))
    if not hmac.compare_digest(sent, viewer.csrf):
        raise RasoatError(ErrorCode.FORBIDDEN, permission="csrf")
    return viewer


Looker = Annotated[Viewer, Depends(current_viewer)]
Actor = Annotated[Viewer, Depends(checked_viewer)]


def sign_in(request: Request, session: Session, username: str, password: str) -> tuple[str, str]:
    """Sign in on a new browser device; return (access token, refresh token)."""
    tokens = service.login(
        session,
        _security(request),
        _settings(request),
        username,
        password,
        f"web-{secrets.token_hex(12)}",
        DEVICE_NAME,
        utcnow(),
        request.client.host if request.client else "unknown",
    )
    return tokens.access_token, tokens.refresh_token


def sign_out(session: Session, viewer: Viewer) -> None:
    """Revoke the session's device: its cookie stops working everywhere at once."""
    service.revoke_device(session, viewer.principal, viewer.principal.device_id, utcnow())


def _secure(request: Request) -> bool:
    # Demo mode serves plain HTTP on the desk computer; production runs behind TLS.
    return not _settings(request).demo


def store_tokens(request: Request, response: Response, tokens: tuple[str, str]) -> None:
    """Set the session cookie to ``tokens``."""
    response.set_cookie(
        SESSION_COOKIE,
        "|".join(tokens),
        max_age=_COOKIE_DAYS * 86400,
        httponly=True,
        secure=_secure(request),
        samesite="strict",
    )


def forget(request: Request, response: Response) -> None:
    """Clear the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, secure=_secure(request), samesite="strict"
    )


def anonymous_csrf(request: Request) -> str:
    """Return the double-submit token of a visitor not signed in (the cookie's, or new)."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def store_anonymous_csrf(request: Request, response: Response, token: str) -> None:
    """Set the double-submit cookie of the sign-in form."""
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, secure=_secure(request), samesite="strict"
    )


def anonymous_csrf_ok(request: Request, sent: str) -> bool:
    """Return True when the sign-in form's token matches its cookie."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(sent, expected)


def store_lang(request: Request, response: Response, lang: Lang) -> None:
    """Remember the chosen language for a year."""
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=365 * 86400,
        httponly=True,
        secure=_secure(request),
        samesite="strict",
    )
