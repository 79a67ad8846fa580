"""Signing in and out, and the choice of language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from server.console import session
from server.console.i18n import as_lang
from server.console.rendering import ConsoleRoute, page, redirect, safe_path
from server.db import DbSession
from server.errors import STATUS
from shared.errors import ErrorCode, RasoatError, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


def _safe_next(target: str) -> str:
    # Only a path of this site: an open redirect would hand the session to another one.
    return safe_path(target) or "/home"


@router.get("/")
def signin_page(request: Request, session_: DbSession, next: str = "/home") -> Response:
    """The sign-in page, or the home page for someone signed in already."""
    try:
        viewer = session.current_viewer(request, session_)
    except RasoatError:
        viewer = None
    if viewer is not None:
        return redirect(request, viewer, _safe_next(next))
    return _form(request, next, "", None, 200)


def _form(request: Request, next: str, username: str, error: str | None, status: int) -> Response:
    token = session.anonymous_csrf(request)
    response = page(
        request,
        None,
        "signin.html",
        {"csrf": token, "next": _safe_next(next), "username": username, "error": error},
        status=status,
    )
    session.store_anonymous_csrf(request, response, token)
    return response


@router.post("/signin")
def signin(
    request: Request,
    session_: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/home",
) -> Response:
    """Check the password through the auth service and open a browser session."""
    if not session.anonymous_csrf_ok(request, csrf):
        message = render(ErrorCode.FORBIDDEN, {"permission": "csrf"}, session.language(request))
        return _form(request, next, username, message, 403)
    try:
        tokens = session.sign_in(request, session_, username, password)
    except RasoatError as error:
        message = render(error.code, error.detail, session.language(request))
        # The failed attempt counts towards the lock-out, so it is committed, not rolled back.
        return _form(request, next, username, message, STATUS[error.code])
    response = RedirectResponse(_safe_next(next), status_code=303)
    session.store_tokens(request, response, tokens)
    response.delete_cookie(session.CSRF_COOKIE)
    return response


@router.post("/signout")
def signout(request: Request, session_: DbSession, viewer: session.Actor) -> Response:
    """Sign out: the session's device is revoked."""
    session.sign_out(session_, viewer)
    response = RedirectResponse("/", status_code=303)
    session.forget(request, response)
    return response


@router.post("/lang")
def choose_language(
    request: Request,
    session_: DbSession,
    to: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Switch between Vietnamese and English (kept in a cookie)."""
    try:
        viewer = session.current_viewer(request, session_)
    except RasoatError:
        viewer = None
    allowed = session.anonymous_csrf_ok(request, csrf) or (
        viewer is not None and csrf == viewer.csrf
    )
    if not allowed:
        raise RasoatError(ErrorCode.FORBIDDEN, permission="csrf")
    lang = as_lang(to)
    response = redirect(request, viewer, safe_path(back) or "/")
    session.store_lang(request, response, lang)
    return response
