"""``/tu-danh-gia``: the household self-check, public, in plain HTML forms (no JavaScript).

Checking stores nothing: the answers travel in the form from page to page. Only sending them as
an application, with consent, a phone number and a hamlet, writes (``service.send``), and that
post carries a double-submit CSRF token like the console's sign-in form.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

from server.clock import Today
from server.console import session as console_session
from server.console.i18n import LANGS, N_, Lang, as_lang
from server.db import DbSession
from server.errors import STATUS
from server.selfcheck import paper, questions, repository, service
from server.selfcheck.limits import Limiter
from server.selfcheck.rendering import page, translations
from shared.engine import Classification
from shared.errors import ErrorCode, RasoatError, render
from shared.standard import Standard

BASE = "/tu-danh-gia"


def _lang(request: Request, form: FormData | None = None) -> Lang:
    chosen = (form.get("lang") if form else None) or request.query_params.get("lang")
    return as_lang(str(chosen)) if chosen in LANGS else console_session.language(request)


def _hit(request: Request, rule: str) -> None:
    limiter: Limiter = request.app.state.selfcheck_limiter
    limiter.hit(rule, request.client.host if request.client else "?")


def _error(
    request: Request, lang: Lang, error: RasoatError, form: FormData | None = None
) -> Response:
    message = render(error.code, error.detail, lang)
    # The answers go back with the household, so a refusal never costs it its typing.
    kept = {
        key: value
        for key, value in (form or {}).items()
        if isinstance(value, str)
        and key not in ("action", "csrf", "consent", "information_devices")
    }
    devices = [str(value) for value in form.getlist("information_devices")] if form else []
    context = {"message": message, "hidden": kept, "devices": devices}
    response = page(request, lang, "error.html", context, status=STATUS[error.code])
    if error.code is ErrorCode.TOO_MANY_REQUESTS:
        response.headers["retry-after"] = str(error.detail.get("seconds", 60))
    return response


class SelfCheckRoute(APIRoute):
    """A route of the page: a catalog error (too many requests, no open review…) becomes a
    page in the visitor's language, after the request's session has rolled back."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except RasoatError as error:
                form = await request.form() if request.method == "POST" else None
                return _error(request, _lang(request, form), error, form)

        return answer


router = APIRouter(include_in_schema=False, route_class=SelfCheckRoute)
# Asked on the result page itself, so not carried along in its hidden fields.
_ASKED_ON_RESULT = frozenset({"action", "csrf", "consent", "hamlet_id", "address", "phone"})


def _answers(form: FormData, members: int | None = None) -> questions.Answers:
    count = questions.member_count(form) if members is None else members
    devices = [str(value) for value in form.getlist("information_devices")]
    return questions.read_answers(form, devices, count)


def _questions_page(
    request: Request,
    lang: Lang,
    answers: questions.Answers,
    today: date,
    status: int = 200,
) -> Response:
    standard, list_year = service.standard_for_application(today)
    context = {
        "answers": answers,
        "asked": questions.asked(standard),
        "labels": questions.LABELS,
        "titles": questions.TITLES,
        "yes_no": questions.YES_NO,
        "max_members": questions.MAX_MEMBERS,
        "statement": standard.statement(list_year, lang),
    }
    return page(request, lang, "questions.html", context, status=status)


@router.get(BASE)
def start(request: Request, today: Today) -> Response:
    """Show the questions (one person to start with; more are added with a button)."""
    lang = _lang(request)
    members = questions.member_count(dict(request.query_params))
    response = _questions_page(request, lang, questions.Answers({}, [], members), today)
    if request.query_params.get("lang") in LANGS:
        console_session.store_lang(request, response, lang)
    return response


def _without_member(form: FormData, removed: int) -> dict[str, str]:
    """Return the form's answers with member ``removed`` taken out and the rest moved up."""
    kept: dict[str, str] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            continue
        index, _, name = key[1:].partition("_")
        if key.startswith("m") and index.isdigit() and name:
            number = int(index)
            if number == removed:
                continue
            key = f"m{number - 1 if number > removed else number}_{name}"
        kept[key] = value
    return kept


def _classified(
    answers: questions.Answers, today: date
) -> tuple[dict[str, Any], Classification | None, Standard, int]:
    standard, list_year = service.standard_for_application(today)
    document = questions.household_document(answers, today, standard, "TU-DANH-GIA")
    if answers.problems:
        return document, None, standard, list_year
    try:
        return document, service.check(document, standard), standard, list_year
    except RasoatError:
        # The form checks every answer it reads, so the engine's own checks should find
        # nothing; if one does, its message names a field path, which a household cannot read.
        answers.problems["members"] = N_("Some answers do not fit together: check the people")
        return document, None, standard, list_year


def _result_context(
    lang: Lang,
    answers: questions.Answers,
    result: Classification,
    standard: Standard,
    list_year: int,
    session: DbSession,
) -> dict[str, Any]:
    document = result.to_dict(lang)
    gettext = translations(lang).gettext
    missing = []
    for path in document["missing"]:
        member, title = questions.missing_fact(path)
        text = gettext(title)
        missing.append(f"{gettext('Person')} {member}: {text}" if member else text)
    return {
        "answers": answers,
        "result": document,
        "indicators": [
            (indicator.id, indicator.title[lang], document["indicators"][indicator.id])
            for indicator in standard.indicators
        ],
        "missing": list(dict.fromkeys(missing)),
        "statement": standard.statement(list_year, lang),
        "places": repository.places(session),
        "hidden": {k: v for k, v in answers.values.items() if k not in _ASKED_ON_RESULT},
        "devices": answers.devices,
        "csrf": "",
    }


@router.post(BASE)
async def answer(request: Request, today: Today, session: DbSession) -> Response:
    """Add or remove a person, or check the answers and show what the household may be."""
    form = await request.form()
    lang = _lang(request, form)
    action = str(form.get("action", "check"))
    if action == "edit":
        return _questions_page(request, lang, _answers(form), today)
    if action == "add":
        members = min(questions.member_count(form) + 1, questions.MAX_MEMBERS)
        return _questions_page(request, lang, _answers(form, members), today)
    if action.startswith("remove-") and action[7:].isdigit():
        members = max(questions.member_count(form) - 1, 1)
        kept = _without_member(form, int(action[7:]))
        devices = [str(value) for value in form.getlist("information_devices")]
        answers = questions.read_answers(kept, devices, members)
        return _questions_page(request, lang, answers, today)
    _hit(request, "check")
    answers = _answers(form)
    _, result, standard, list_year = _classified(answers, today)
    if result is None:
        return _questions_page(request, lang, answers, today, status=422)
    context = _result_context(lang, answers, result, standard, list_year, session)
    token = console_session.anonymous_csrf(request)
    context["csrf"] = token
    response = page(request, lang, "result.html", context)
    console_session.store_anonymous_csrf(request, response, token)
    return response


@router.post(f"{BASE}/giay-de-nghi")
async def application_paper(request: Request, today: Today, session: DbSession) -> Response:
    """Return Form 01 filled in with the answers, as a PDF to print and take to the commune."""
    form = await request.form()
    lang = _lang(request, form)
    _hit(request, "check")
    answers = _answers(form)
    document, result, _, list_year = _classified(answers, today)
    if result is None:
        return _questions_page(request, lang, answers, today, status=422)
    hamlet_id = str(form.get("hamlet_id", ""))
    hamlet = repository.hamlet(session, int(hamlet_id)) if hamlet_id.isdigit() else None
    pdf = paper.form_01(answers, document, hamlet, today, list_year)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": 'inline; filename="giay-de-nghi-mau-01.pdf"'},
    )


@router.post(f"{BASE}/gui")
async def send(request: Request, today: Today, session: DbSession) -> Response:
    """Send the answers as an application (Form 01) to the chosen hamlet's commune."""
    form = await request.form()
    lang = _lang(request, form)
    _hit(request, "send")
    if not console_session.anonymous_csrf_ok(request, str(form.get("csrf", ""))):
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="csrf")
    answers = _answers(form)
    document, result, standard, list_year = _classified(answers, today)
    if result is None:
        return _questions_page(request, lang, answers, today, status=422)
    context = _result_context(lang, answers, result, standard, list_year, session)
    hamlet_id = str(form.get("hamlet_id", ""))
    phone = service.phone_number(answers.get("phone"))
    head = answers.get("m0_name")
    problems: dict[str, str] = {}
    if form.get("consent") != "yes":
        problems["consent"] = N_("Tick the box to agree before sending")
    if phone is None:
        problems["phone"] = N_("Write a phone number of 10 digits, for example 0912345678")
    if not hamlet_id.isdigit():
        problems["hamlet_id"] = N_("Choose your hamlet")
    if not head:
        problems["m0_name"] = N_("Write the name of the first person (the head of the household)")
    if problems or phone is None:
        token = console_session.anonymous_csrf(request)
        context.update(csrf=token, send_problems=problems)
        response = page(request, lang, "result.html", context, status=422)
        console_session.store_anonymous_csrf(request, response, token)
        return response
    sending = service.Sending(
        hamlet_id=int(hamlet_id),
        phone=phone,
        head_name=head,
        address=answers.get("address"),
        consent=True,
    )
    names = [answers.get(f"m{index}_name") for index in range(answers.members)]
    case = service.send(session, sending, document, result.to_dict("vi"), names, today)
    hamlet = repository.hamlet(session, case.hamlet_id)
    return page(request, lang, "sent.html", {"hamlet": hamlet, "phone": phone})
