"""Templates, the answers every page gives (a page, a redirect, an error) and the catalog's
labels for the shared vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from server.console import i18n, session
from server.console.i18n import N_, Lang
from server.console.session import Viewer
from server.errors import STATUS
from shared.errors import ErrorCode, RasoatError, render
from shared.review.states import LABELS, CaseState
from shared.vocabulary import CHANGE_LABELS, Change

TEMPLATES = Path(__file__).parent / "templates"
FLASH_COOKIE = "rasoat_flash"
_SIGNED_OUT = {ErrorCode.NOT_AUTHENTICATED, ErrorCode.TOKEN_EXPIRED, ErrorCode.DEVICE_REVOKED}


def _state_label(lang: Lang, state: str | None) -> str:
    return "" if state is None else LABELS[CaseState(state)][lang]


def _change_label(lang: Lang, change: str | None) -> str:
    return "" if change is None else CHANGE_LABELS[Change(change)][lang]


# The names of classes and procedures, marked for the catalog: shared/ names them in codes
# only, and the papers' tables are in Vietnamese only.
CLASS_NAMES = {
    "poor": N_("Poor"),
    "near_poor": N_("Near-poor"),
    "average": N_("Average living standard"),
    "not_poor": N_("Not poor"),
    "undetermined": N_("Undetermined"),
}
PROCEDURE_NAMES = {
    "annual": N_("Annual review"),
    "monthly": N_("Monthly review"),
    "average_living": N_("Average living standard (application)"),
    "low_income_worker": N_("Low-income worker (application)"),
}


@cache
def environment(lang: Lang) -> Environment:
    """Return the template environment of ``lang`` (one per language, built once)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    gettext = i18n.translations(lang).gettext
    env.filters.update(
        number=lambda value, digits=0: i18n.number(value, lang, digits),
        percent=lambda value, digits=2: i18n.percent(value, lang, digits),
        day=i18n.day,
        moment=i18n.moment,
        state_label=partial(_state_label, lang),
        change_label=partial(_change_label, lang),
        class_label=lambda value: gettext(CLASS_NAMES[value]) if value else "—",
        procedure_label=lambda value: gettext(PROCEDURE_NAMES[value]),
    )
    env.globals["lang"] = lang
    return env


def _flash(request: Request) -> tuple[str, str] | None:
    kind, _, text = unquote(request.cookies.get(FLASH_COOKIE, "")).partition(":")
    return (kind, text) if text else None


def page(
    request: Request,
    viewer: Viewer | None,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    lang: Lang | None = None,
) -> HTMLResponse:
    """Render ``template`` for the viewer; store refreshed tokens and consume the flash."""
    language = viewer.lang if viewer else (lang or session.language(request))
    body = (
        environment(language)
        .get_template(template)
        .render(
            request=request,
            viewer=viewer,
            flash=_flash(request),
            path=request.url.path,
            **{"csrf": viewer.csrf if viewer else "", **context},
        )
    )
    response = HTMLResponse(body, status_code=status)
    if _flash(request):
        response.delete_cookie(FLASH_COOKIE)
    _finish(request, response, viewer)
    return response


def _finish(request: Request, response: Response, viewer: Viewer | None) -> None:
    if viewer is not None and viewer.tokens is not None:
        session.store_tokens(request, response, viewer.tokens)


def redirect(
    request: Request, viewer: Viewer | None, url: str, message: str | None = None
) -> Response:
    """Answer a form post with a redirect to ``url`` (303, or HX-Redirect for htmx), showing
    ``message`` on the next page."""
    response: Response
    if request.headers.get("hx-request"):
        response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    if message:
        response.set_cookie(FLASH_COOKIE, quote(f"ok:{message}"), samesite="strict", httponly=True)
    _finish(request, response, viewer)
    return response


def gettext(request: Request) -> Callable[[str], str]:
    """Return the translation function of the request's language (for flash messages)."""
    return i18n.translations(session.language(request)).gettext


def translate(request: Request, text: str) -> str:
    """Return ``text`` in the request's language."""
    return gettext(request)(text)


def safe_path(target: str) -> str | None:
    """Return ``target`` when it is a path of this site, else None (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else None


def back_path(request: Request, sent: str = "") -> str:
    """Return the page a form was posted from: the form's ``back`` field, else the page
    the action belongs to (``/cases/7/override`` → ``/cases/7``). The Referer is not used:
    the server sends ``Referrer-Policy: no-referrer``."""
    chosen = safe_path(sent)
    if chosen:
        return chosen
    parts = request.url.path.strip("/").split("/")
    if len(parts) == 3 and parts[1].isdigit():
        if parts[0] == "people":
            return "/people"
        if parts[0] == "rounds" and parts[2] == "accept":
            return f"/rounds/{parts[1]}/queue"
        return f"/{parts[0]}/{parts[1]}"
    return "/home"


async def error_answer(request: Request, error: RasoatError) -> Response:
    """Answer a catalog error: to sign in when the session is gone, back to the form with the
    message after a refused post, else an error page with the code's status."""
    lang = session.language(request)
    if error.code in _SIGNED_OUT:
        target = "/?next=" + quote(request.url.path)
        response: Response
        if request.headers.get("hx-request"):
            response = Response(status_code=204, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        session.forget(request, response)
        return response
    message = render(error.code, error.detail, lang)
    if request.method == "POST":
        form = await request.form()
        response = RedirectResponse(back_path(request, str(form.get("back", ""))), status_code=303)
        response.set_cookie(
            FLASH_COOKIE, quote(f"error:{message}"), samesite="strict", httponly=True
        )
        return response
    return page(
        request, None, "error.html", {"message": message}, status=STATUS[error.code], lang=lang
    )


class ConsoleRoute(APIRoute):
    """A console route: catalog errors become pages or redirects instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except RasoatError as error:
                return await error_answer(request, error)

        return answer
