"""The console's languages: Babel catalogs, dates dd/mm/yyyy and numbers the Vietnamese way.

Messages are written in English in the templates and translated by ``locale/vi``. The .po file
is compiled in memory when first used rather than shipped as a .mo built by a separate step, so
``pip install -e .`` is all an installation needs and the catalog cannot go stale.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
DEFAULT_LANG: Lang = "vi"
DOMAIN = "console"
LOCALE_DIR = Path(__file__).parent / "locale"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def N_(text: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark ``text`` for the catalog; it is translated where it is shown."""
    return text


def catalog_path(lang: Lang) -> Path:
    """Return the .po file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


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


def as_lang(value: str | None) -> Lang:
    """Return ``value`` when it names a console language, else the default (Vietnamese)."""
    return "en" if value == "en" else DEFAULT_LANG


def number(value: int | float | Decimal | None, lang: Lang, digits: int = 0) -> str:
    """Return ``value`` with the language's grouping and decimal marks (vi: 2.567; 0,31)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang)


def percent(value: float | Decimal | None, lang: Lang, digits: int = 2) -> str:
    """Return a percentage given in percent (0.31 → "0,31 %" in Vietnamese)."""
    if value is None:
        return "—"
    # Vietnamese typography puts a space before the sign; English does not.
    return number(value, lang, digits) + (" %" if lang == "vi" else "%")


def day(value: date | None) -> str:
    """Return a date as dd/mm/yyyy, whatever the language."""
    return "—" if value is None else value.strftime("%d/%m/%Y")


def moment(value: datetime | None) -> str:
    """Return an instant in Vietnam's local time as dd/mm/yyyy hh:mm."""
    return "—" if value is None else value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def today() -> date:
    """Return today's date in Vietnam."""
    return datetime.now(VIETNAM).date()


# How the catalog's messages are found: ``_`` in templates, ``N_``/``tr``/``translate`` in code.
KEYWORDS = {"_": None, "gettext": None, "N_": None, "tr": None, "translate": (2,)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def source_messages() -> set[str]:
    """Return every message the console's code and templates show (babel's extractors)."""
    found = extract_from_dir(
        str(Path(__file__).parent),
        method_map=METHODS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=KEYWORDS,
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}
