"""Helpers of the self-check's tests: a household document as the page's form answers it, and
what the result page says."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

_BOOL = {True: "yes", False: "no"}
_MEMBER = ("sex", "relation", "employment", "disability", "education", "school_level")
_MEMBER_FLAGS = (
    "pension",
    "health_insurance",
    "in_school",
    "stunted",
    "underweight",
    "phone_subscription",
    "uses_internet",
)


def form_of(document: dict[str, Any]) -> dict[str, str | list[str]]:
    """Return the form fields a household answering as ``document`` says would post."""
    fields: list[tuple[str, str]] = [
        ("area", document["area"]),
        ("members", str(len(document["members"]))),
    ]
    for index, member in enumerate(document["members"]):
        prefix = f"m{index}_"
        if member.get("birth_date"):
            born = member["birth_date"]
            born = born if isinstance(born, date) else date.fromisoformat(born)
            fields.append((prefix + "birth", born.strftime("%d/%m/%Y")))
        elif member.get("birth_year"):
            fields.append((prefix + "birth", str(member["birth_year"])))
        fields += [(prefix + name, member[name]) for name in _MEMBER if member.get(name)]
        fields += [
            (prefix + name, _BOOL[member[name]])
            for name in _MEMBER_FLAGS
            if member.get(name) is not None
        ]
    income = document.get("income") or {}
    if income.get("monthly_per_capita_vnd") is not None:
        fields.append(("income_month", f"{income['monthly_per_capita_vnd']:,}".replace(",", ".")))
    if income.get("annual_total_vnd") is not None:
        fields.append(("income_year", str(income["annual_total_vnd"])))
    housing = document.get("housing") or {}
    fields += [(name, str(value)) for name, value in housing.items() if value is not None]
    for name in ("water_source", "latrine", "waste_disposal"):
        if document.get(name):
            fields.append((name, document[name]))
    for name in ("internet_access", "hears_loudspeaker"):
        if document.get(name) is not None:
            fields.append((name, _BOOL[document[name]]))
    form: dict[str, str | list[str]] = dict(fields)
    devices = document.get("information_devices")
    if devices is not None:
        form["information_devices"] = list(devices) or ["none"]
    return form


def verdict(html: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """Return the class the result page shows and, per indicator, its status and reason."""
    found = re.search(r'id="verdict" data-class="(\w+)"', html)
    assert found, html[:2000]
    indicators = {
        key: (status, unescape(reason))
        for key, status, reason in re.findall(
            r'<li data-indicator="(\w+)" data-status="(\w+)">'
            r'.*?<span class="reason">(.*?)</span></li>',
            html,
            flags=re.S,
        )
    }
    return found.group(1), indicators


def csrf_of(html: str) -> str:
    """Return the CSRF token of the result page's send form."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def on_day(day: date | str) -> Callable[[], date]:
    """Return a clock dependency that says it is ``day`` (the page's today)."""
    fixed = day if isinstance(day, date) else date.fromisoformat(day)
    return lambda: fixed
