"""The report forms of Circular 07/2021's Appendix VII a commune sends up, filled from its
figures: the catalog (``appendix_vii.yaml``: number, title, unit, columns) read once, each
form's columns expanded (special groups, causes, the standard's indicators under their
dimensions) and its rows filled per hamlet with the commune's total last.

Free of I/O beyond reading the catalog: the service hands in the hamlet table and the
deprivation statistics it already computes for the other reports, so the forms and those
reports cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, get_args

import yaml

from server.documents import labels
from server.reports import compute
from shared.household import PovertyCause, SpecialGroup
from shared.standard import Standard

CATALOG = Path(__file__).with_name("appendix_vii.yaml")
_GROUPS: tuple[str, ...] = get_args(SpecialGroup)
_CAUSES: tuple[str, ...] = get_args(PovertyCause)
Figure = int | float | None

# The two periods a commune reports on (seed 004): the first half year, due 10 June, and the
# year, due 10 November.
PERIODS: dict[str, tuple[str, tuple[int, int]]] = {
    "six_monthly": ("6 tháng đầu năm {year}", (6, 10)),
    "annual": ("năm {year}", (11, 10)),
}


@dataclass(frozen=True)
class Column:
    heading: str
    value: str


@dataclass(frozen=True)
class ColumnGroup:
    """Columns under one heading; a group without a heading is one column whose heading spans
    both header rows."""

    heading: str | None
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Row:
    number: str
    name: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class FilledForm:
    """One form as printed: the heading (issuer, form number and basis), title, period,
    unit, the two header rows, the rows per hamlet, the commune's total, notes, and the
    signature block's place and date."""

    number: str
    title: str
    basis: str
    issuer: str
    province: str
    commune: str
    period: str
    as_of: date
    due: date
    made_on: date
    unit: str
    groups: tuple[ColumnGroup, ...]
    rows: tuple[Row, ...]
    total: Row
    notes: tuple[str, ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(c for g in self.groups for c in g.columns)


@dataclass(frozen=True)
class Area:
    """A hamlet's (or the commune's) figures, by the catalog's value names."""

    name: str
    figures: Mapping[str, Figure]


@cache
def catalog() -> dict[str, Any]:
    """Return the form catalog as read from ``appendix_vii.yaml``."""
    data: dict[str, Any] = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    return data


def form_numbers() -> tuple[str, ...]:
    """Return the numbers of the forms the catalog holds, in order ("7.1", …)."""
    return tuple(str(form["number"]) for form in catalog()["forms"])


def _leaves(spec: Mapping[str, Any], standard: Standard) -> list[Column]:
    """Return the leaf columns of a spec: itself, or one per group or cause."""
    each = spec.get("each")
    cls = spec.get("class", "poor")
    if each == "groups":
        return [Column(labels.choice("special_groups", g), f"group.{cls}.{g}") for g in _GROUPS]
    if each == "causes":
        return [Column(labels.choice("poverty_causes", c), f"cause.{cls}.{c}") for c in _CAUSES]
    if each == "indicators":
        return [Column(i.title["vi"], f"indicator.{cls}.{i.id}") for i in standard.indicators]
    return [Column(str(spec["heading"]), str(spec["value"]))]


def columns_of(specs: Sequence[Mapping[str, Any]], standard: Standard) -> tuple[ColumnGroup, ...]:
    """Return the form's column groups from the catalog's specs; ``each: indicators`` at the
    top gives one group per dimension of ``standard``."""
    groups: list[ColumnGroup] = []
    for spec in specs:
        if "columns" in spec:
            leaves = [c for inner in spec["columns"] for c in _leaves(inner, standard)]
            groups.append(ColumnGroup(str(spec["heading"]), tuple(leaves)))
        elif spec.get("each") == "indicators":
            cls = spec.get("class", "poor")
            for dimension, title in standard.dimensions.items():
                inside = tuple(
                    Column(i.title["vi"], f"indicator.{cls}.{i.id}")
                    for i in standard.indicators
                    if i.dimension == dimension
                )
                if inside:
                    groups.append(ColumnGroup(title["vi"], inside))
        else:
            groups += [ColumnGroup(None, (leaf,)) for leaf in _leaves(spec, standard)]
    return tuple(groups)


def area(
    row: compute.HamletRow,
    stats: compute.DeprivationStats,
    causes: Sequence[compute.GroupCounts],
    unrecorded: Sequence[str],
) -> Area:
    """Return a hamlet's (or the commune's) figures from its row of the hamlet table, its
    deprivation statistics and its causes of poverty; a special group nothing was recorded
    for in the commune has no figure (its cell stays empty rather than read 0)."""
    figures: dict[str, Figure] = {
        "households": row.now.households,
        "exited_poor": row.changes.exited_poor,
        "exited_near_poor": row.changes.exited_near_poor,
        "newly_poor": row.changes.newly_poor,
        "newly_near_poor": row.changes.newly_near_poor,
        "fell_back": row.changes.fell_back,
        "listed.poor": stats.poor,
        "listed.near_poor": stats.near_poor,
    }
    for moment, counts in (("start", row.start), ("now", row.now)):
        figures[f"{moment}.poor"] = counts.poor
        figures[f"{moment}.poor_rate"] = counts.poor_rate
        figures[f"{moment}.near_poor"] = counts.near_poor
        figures[f"{moment}.near_poor_rate"] = counts.near_poor_rate
    for group in stats.groups:
        shown = group.group not in unrecorded
        figures[f"group.poor.{group.group}"] = group.poor if shown else None
        figures[f"group.near_poor.{group.group}"] = group.near_poor if shown else None
    for cause in causes:
        figures[f"cause.poor.{cause.group}"] = cause.poor
        figures[f"cause.near_poor.{cause.group}"] = cause.near_poor
    for rate in stats.indicators:
        figures[f"indicator.poor.{rate.indicator}"] = rate.poor
        figures[f"indicator.near_poor.{rate.indicator}"] = rate.near_poor
    return Area(row.name, figures)


def _figure(area: Area, column: Column) -> Figure:
    # A cause or group no household of the area has is 0, not missing; only the keys the
    # area leaves None on purpose (unrecorded groups) print empty.
    return area.figures.get(column.value, 0)


@dataclass(frozen=True)
class Heading:
    """What every form of a commune's report shares."""

    province: str
    commune: str
    year: int
    period: str
    made_on: date


def fill(
    number: str, heading: Heading, standard: Standard, hamlets: Sequence[Area], total: Area
) -> FilledForm:
    """Return the form ``number`` filled with one row per hamlet and the commune's total.
    Raises KeyError for a number the catalog lacks."""
    spec = next(f for f in catalog()["forms"] if str(f["number"]) == number)
    groups = columns_of(spec["columns"], standard)
    leaves = [c for g in groups for c in g.columns]
    label, (due_month, due_day) = PERIODS[heading.period]
    as_of = (
        date(heading.year, 6, 30) if heading.period == "six_monthly" else date(heading.year, 12, 31)
    )
    return FilledForm(
        number=number,
        title=f"{spec['title']} {label.format(year=heading.year).upper()}",
        basis=str(catalog()["basis"]),
        issuer=f"ỦY BAN NHÂN DÂN {heading.commune.upper()}",
        province=heading.province,
        commune=heading.commune,
        period=label.format(year=heading.year),
        as_of=as_of,
        due=date(heading.year, due_month, due_day),
        made_on=heading.made_on,
        unit=str(spec["unit"]),
        groups=groups,
        rows=tuple(
            Row(str(n), a.name, tuple(_figure(a, c) for c in leaves))
            for n, a in enumerate(hamlets, start=1)
        ),
        total=Row("", "Tổng cộng", tuple(_figure(total, c) for c in leaves)),
        notes=tuple(str(n) for n in spec.get("notes", ())),
    )


def missing_figures(standard: Standard) -> list[str]:
    """Return the value names the catalog's columns use that no area provides (a typo in the
    catalog); empty when every column can be filled."""
    known = {
        "households",
        "exited_poor",
        "exited_near_poor",
        "newly_poor",
        "newly_near_poor",
        "fell_back",
        "listed.poor",
        "listed.near_poor",
        *(
            f"{m}.{k}"
            for m in ("start", "now")
            for k in ("poor", "poor_rate", "near_poor", "near_poor_rate")
        ),
    }
    prefixes = ("group.", "cause.", "indicator.")
    return [
        c.value
        for form in catalog()["forms"]
        for g in columns_of(form["columns"], standard)
        for c in g.columns
        if c.value not in known and not c.value.startswith(prefixes)
    ]
