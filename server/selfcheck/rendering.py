"""The self-check's templates and catalog: English messages in the templates, Vietnamese in
``locale/vi`` (the console's way, server/console/i18n.py, with a catalog of its own so the two
pages' wordings stay apart: this one is written for households, not officers)."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from server.console import i18n
from server.console.i18n import Lang

HERE = Path(__file__).parent
DOMAIN = "selfcheck"


def catalog_path(lang: Lang) -> Path:
    """Return the .po file of ``lang``."""
    return HERE / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: Lang) -> NullTranslations:
    """Return the gettext translations of ``lang``; English is the source language."""
    if lang == "en":
        return NullTranslations()
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def source_messages() -> set[str]:
    """Return every message the page's code and templates show."""
    found = extract_from_dir(
        str(HERE),
        method_map=i18n.METHODS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=i18n.KEYWORDS,
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


@cache
def environment(lang: Lang) -> Environment:
    """Return the template environment of ``lang`` (one per language, built once)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        number=lambda value: i18n.number(value, lang),
        day=i18n.day,
        tr=translations(lang).gettext,
    )
    env.globals["lang"] = lang
    return env


def page(
    request: Request, lang: Lang, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """Render ``template`` in ``lang``."""
    body = environment(lang).get_template(template).render(request=request, **context)
    return HTMLResponse(body, status_code=status)
