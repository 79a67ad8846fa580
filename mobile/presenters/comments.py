"""Reviewers' comments as people read them. A comment arrives as ``question: text`` (the
question's path in the form: ``floor_area_m2``, ``members[1].education``) or as plain text; it
is shown at its question in the form, and elsewhere named by the question's label."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mobile.i18n import Lang
from mobile.presenters.preview import missing_label
from shared.forms import Form

_PATH = re.compile(r"^\s*((?:\w+\[\d+\]\.)*\w+)\s*:\s*(.+)$", re.DOTALL)


def split_comments(texts: Iterable[str], form: Form) -> tuple[dict[str, list[str]], list[str]]:
    """Return the comments on a question of ``form`` by path, and the others."""
    at: dict[str, list[str]] = {}
    general: list[str] = []
    for text in texts:
        match = _PATH.match(text)
        if match and match.group(1).rsplit(".", 1)[-1] in form.nodes:
            at.setdefault(match.group(1), []).append(match.group(2).strip())
        elif text.strip():
            general.append(text.strip())
    return at, general


def returned_texts(comment: str) -> list[str]:
    """Return a returned survey's comments one by one (the sync joins them with "; ")."""
    return [part for part in comment.split("; ") if part.strip()]


def comment_lines(texts: Iterable[str], form: Form, lang: Lang) -> tuple[str, ...]:
    """Return each comment with its question's label in place of the path."""
    at, general = split_comments(texts, form)
    lines = [
        f"{missing_label(form, path, lang)}: {text}" for path, found in at.items() for text in found
    ]
    return (*lines, *general)
