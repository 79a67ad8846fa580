"""The classification preview: the shared engine run on the tablet over the draft's answers.

Shows the class, each indicator with its status and the engine's reason, and what is still
missing, named by the form's questions where one matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mobile.i18n import Lang, tr
from shared.engine import classify, parse_household
from shared.errors import RasoatError
from shared.forms import Filled, Form
from shared.forms.model import RosterQuestion
from shared.standard import Standard
from shared.standards import load_catalog

# A round the server has not recognised yet: its surveys classify under its list's standard.
_OPEN = "open"


@dataclass(frozen=True)
class IndicatorView:
    id: str
    title: str
    status: str
    status_text: str
    reason: str


@dataclass(frozen=True)
class PreviewView:
    household_class: str
    class_text: str
    income_text: str
    deprived_text: str
    indicators: tuple[IndicatorView, ...]
    missing: tuple[str, ...]
    problem: str = ""
    complete: bool = False
    # Which standard classified the preview, and why (a round's list, or the reference date).
    standard_text: str = ""


@dataclass(frozen=True)
class PreviewStandard:
    """The standard a preview classifies under and the sentence that says so."""

    standard: Standard | None
    text: str


def round_list_year(
    cases: Mapping[str, Mapping[str, Any]], household_id: int, year: int
) -> int | None:
    """Return the year of the list the household's open round of ``year`` makes, from the
    review cases the tablet pulled (newest round first, as the server picks it:
    server.review standard_for_survey); None when the tablet knows of no such round."""
    rounds = sorted(
        (
            (int(case.get("round_id") or 0), int(case["list_year"]))
            for case in cases.values()
            if case.get("household_id") == household_id
            and case.get("year") == year
            and case.get("round_status", _OPEN) == _OPEN
            and isinstance(case.get("list_year"), int)
        ),
        reverse=True,
    )
    return rounds[0][1] if rounds else None


def preview_standard(list_year: int | None, reference: date, lang: Lang) -> PreviewStandard:
    """Return the standard of the round's list when the household is in an open round;
    without one (a household no round lists, or a tablet that has not synced since the round
    opened) the engine's own rule: the standard in force on the reference date."""
    catalog = load_catalog()
    if list_year is not None:
        standard = catalog.for_list_year(list_year)
        return PreviewStandard(standard, standard.statement(list_year, lang))
    try:
        by_date = catalog.for_date(reference)
    except RasoatError:
        return PreviewStandard(None, "")
    return PreviewStandard(None, tr("standard_by_date", lang, title=by_date.title[lang].lower()))


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def class_text(household_class: str | None, lang: Lang) -> str:
    """Return a class's name for people (``class_unknown`` for none)."""
    return tr(f"class_{household_class or 'unknown'}", lang)


def missing_label(form: Form, field: str, lang: Lang) -> str:
    """Return a document field the engine lacks (``members[2].stunted``) in the form's words
    ("Thành viên 3: Suy dinh dưỡng thể thấp còi"), or the field itself."""
    rows = re.findall(r"(\w+)\[(\d+)\]", field)
    names = re.findall(r"[a-z_0-9]+", field.rsplit(".", 1)[-1])
    prefix = ""
    if rows:
        roster = form.nodes.get(rows[-1][0])
        if roster is not None and isinstance(roster.question, RosterQuestion):
            label = roster.question.row_label or roster.question.label
            prefix = f"{getattr(label, lang)} {int(rows[-1][1]) + 1}: "
    labels = []
    for name in names:
        node = form.nodes.get(name)
        if node is None and name == "income":
            node = form.nodes.get("income_method")
        if node is not None and getattr(node.question, "label", None) is not None:
            labels.append(getattr(node.question.label, lang))
    return prefix + (" / ".join(labels) if labels else tr("missing_other", lang))


def preview(
    filled: Filled, lang: Lang = "vi", standard: PreviewStandard | None = None
) -> PreviewView:
    """Return the classification of the answers so far, under ``standard`` when given (a
    round's list), else under the standard in force on the reference date."""
    document = filled.document()
    try:
        if document is None:
            raise ValueError("this form does not describe a household")
        result = classify(
            parse_household(document), standard=standard.standard if standard else None
        )
    except RasoatError as error:
        # The engine names the field it could not read; people get the question.
        field = str(error.detail.get("field", ""))
        why = missing_label(filled.form, field, lang) if field else error.message(lang)
        return PreviewView(
            "undetermined",
            class_text("undetermined", lang),
            "",
            "",
            (),
            (),
            tr("cannot_preview", lang, why=why),
            standard_text=standard.text if standard else "",
        )
    except ValueError as error:
        return PreviewView(
            "undetermined",
            class_text("undetermined", lang),
            "",
            "",
            (),
            (),
            tr("cannot_preview", lang, why=str(error)),
            standard_text=standard.text if standard else "",
        )
    data = result.to_dict(lang)
    income = data["income_per_capita_vnd"]
    income_text = (
        tr("income_unknown", lang)
        if income is None
        else tr("income_line", lang, income=_vnd(income), line=_vnd(data["income_line_vnd"]))
    )
    indicators = tuple(
        IndicatorView(
            indicator.id,
            indicator.title[lang],
            outcome.status,
            tr(f"status_{outcome.status}", lang),
            data["indicators"][indicator.id]["reason"],
        )
        for indicator, outcome in result.outcomes
    )
    missing = tuple(dict.fromkeys(missing_label(filled.form, f, lang) for f in data["missing"]))
    return PreviewView(
        data["class"],
        class_text(data["class"], lang),
        income_text,
        tr("deprived_count", lang, n=data["deprivation_count"]),
        indicators,
        missing,
        complete=data["complete"],
        standard_text=standard.text if standard else "",
    )
