"""A score table: household income estimated from its characteristics (Phiếu B1).

Circular 07/2021 has poor and near-poor households' income estimated with a points table
instead of measured: each item of the form (roof material, a motorbike, the size of the
household …) adds points that differ by socio-economic region and between urban and rural
areas, and score A at or below the threshold (140 rural, 175 urban) means income at or below
the line. The table is a province's data, loaded with ``parse_score_table``: a table may give
an item one number everywhere, one per area, or one per area in each of the six regions, and
may set its own thresholds. An item reads either a field of the household document or an
answer of the Phiếu B1 form the table scores (``form: score_b1/1``, ``forms/score_b1/``); a
table for a form must give points to every item of that form. The official weights are not
public here; the shipped table (``shared/standards/score_tables/``) and those in the tests are
examples and say so (``example_only``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.errors import ErrorCode, RasoatError
from shared.forms.form import Form
from shared.forms.model import CalculateQuestion, GroupQuestion, NoteQuestion, RosterQuestion
from shared.household import Area, Household
from shared.income import IncomeEstimate
from shared.standard import Standard

Region = Literal[
    "northern_midlands_mountains",
    "red_river_delta",
    "north_central_central_coast",
    "central_highlands",
    "southeast",
    "mekong_delta",
]
"""The six socio-economic regions the official points differ by."""

REGION_NAMES: dict[Region, dict[str, str]] = {
    "northern_midlands_mountains": {
        "vi": "Trung du và miền núi phía Bắc",
        "en": "Northern midlands and mountains",
    },
    "red_river_delta": {"vi": "Đồng bằng sông Hồng", "en": "Red River Delta"},
    "north_central_central_coast": {
        "vi": "Bắc Trung Bộ và duyên hải miền Trung",
        "en": "North Central and Central Coast",
    },
    "central_highlands": {"vi": "Tây Nguyên", "en": "Central Highlands"},
    "southeast": {"vi": "Đông Nam Bộ", "en": "Southeast"},
    "mekong_delta": {"vi": "Đồng bằng sông Cửu Long", "en": "Mekong River Delta"},
}


def as_region(value: str | None) -> Region | None:
    """Return ``value`` as one of the six regions (None stays None); raise UNKNOWN_REGION."""
    for region in REGION_NAMES:
        if region == value:
            return region
    if value is None:
        return None
    raise RasoatError(ErrorCode.UNKNOWN_REGION, region=value, regions=", ".join(REGION_NAMES))


class AreaPoints(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rural: int
    urban: int

    def for_area(self, area: Area) -> int:
        """Return the points of ``area``."""
        return self.rural if area == "rural" else self.urban


Points = int | AreaPoints | dict[Region, AreaPoints]
"""Points everywhere, per area, or per area in each region."""


def _points(spec: Points, region: Region | None, area: Area) -> int:
    if isinstance(spec, int):
        return spec
    if isinstance(spec, AreaPoints):
        return spec.for_area(area)
    if region is None:
        raise RasoatError(
            ErrorCode.INVALID_SCORE_TABLE,
            source="score table",
            problem="its points differ by region: give the commune's region",
        )
    return spec[region].for_area(area)


def _missing_regions(spec: Points) -> list[str]:
    if isinstance(spec, dict):
        return [region for region in REGION_NAMES if region not in spec]
    return []


class ScoreItem(BaseModel):
    """Points added when a household characteristic matches.

    ``id`` names the line of the table; it reads either ``field``, a dotted path into the
    household document (``housing.roof``, ``water_source``) or ``member_count``, or
    ``answer``, a question of the Phiếu B1 form the table scores; exactly one test applies:
    ``equals``, ``in``, ``at_least``, ``at_most`` or ``contains`` (for lists such as
    ``information_devices``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=80)]
    label: dict[str, str] | None = None
    field: str | None = None
    answer: str | None = None
    equals: str | int | float | bool | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    contains: str | None = None
    points: Points

    @model_validator(mode="after")
    def _one_test(self) -> ScoreItem:
        if (self.field is None) == (self.answer is None):
            raise ValueError(f"item {self.id}: give exactly one of field and answer")
        tests = [self.equals, self.in_, self.at_least, self.at_most, self.contains]
        if sum(test is not None for test in tests) != 1:
            raise ValueError(f"item {self.id}: give exactly one test")
        missing = _missing_regions(self.points)
        if missing:
            raise ValueError(f"item {self.id}: no points for region {missing[0]}")
        return self

    def matches(self, value: Any) -> bool:
        """Return True when ``value`` passes this item's test."""
        if value is None:
            return False
        if self.equals is not None:
            return bool(value == self.equals)
        if self.in_ is not None:
            return value in self.in_
        if self.contains is not None:
            return isinstance(value, list) and self.contains in value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.at_least is not None:
            return value >= self.at_least
        return self.at_most is not None and value <= self.at_most


class ScoreTable(BaseModel):
    """A score table: base points plus the points of every matching item, by region and
    area, and optionally its own thresholds (score A at or below them means income at or
    below the line)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
    title: str
    example_only: bool = False
    reference: str | None = None
    province: str | None = None
    form: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*/[1-9][0-9]*$")] | None = None
    thresholds: AreaPoints | None = None
    base_points: Points
    items: Annotated[list[ScoreItem], Field(min_length=1)]

    @model_validator(mode="after")
    def _items_once(self) -> ScoreTable:
        ids = [item.id for item in self.items]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"item {repeated[0]} appears twice")
        missing = _missing_regions(self.base_points)
        if missing:
            raise ValueError(f"base_points: no points for region {missing[0]}")
        if self.form is None and any(item.answer is not None for item in self.items):
            raise ValueError("items read answers: name the form they come from (form: id/version)")
        return self

    @property
    def by_region(self) -> bool:
        """Return True when some points differ by socio-economic region."""
        return isinstance(self.base_points, dict) or any(
            isinstance(item.points, dict) for item in self.items
        )

    @property
    def reads_answers(self) -> bool:
        """Return True when some item reads an answer of the table's form."""
        return any(item.answer is not None for item in self.items)

    def score(
        self,
        household: Household,
        region: Region | None = None,
        answers: Mapping[str, Any] | None = None,
    ) -> tuple[int, tuple[tuple[str, int], ...]]:
        """Return the household's score A and the points of each item that counted; items on
        answers read ``answers`` (the form's answers, none when not given)."""
        area = household.area
        document = msgspec.to_builtins(household)
        document["member_count"] = len(household.members)
        total = _points(self.base_points, region, area)
        counted = []
        for item in self.items:
            value: Any
            if item.answer is not None:
                value = None if answers is None else answers.get(item.answer)
            else:
                value = document
                for part in str(item.field).split("."):
                    value = value.get(part) if isinstance(value, dict) else None
            if item.matches(value):
                points = _points(item.points, region, area)
                total += points
                counted.append((item.id, points))
        return total, tuple(counted)

    def for_region(
        self, region: Region | None, answers: Mapping[str, Any] | None = None
    ) -> RegionalScore:
        """Return the estimator of households in ``region``, with a household's answers to
        the table's form when its items read them."""
        return RegionalScore(self, region, answers)

    def points_of(
        self, counted: Mapping[str, int], region: Region | None, area: Area
    ) -> list[tuple[str, dict[str, str], int]]:
        """Return how a score adds up: the base points of the region and area, then each line
        of the table that counted (``counted``, the result's ``score_a_items``), in the
        table's order, as (id, label in both languages, points)."""
        base = {"vi": "Điểm gốc theo vùng và khu vực", "en": "Base points of the region and area"}
        lines = [("base_points", base, _points(self.base_points, region, area))]
        for item in self.items:
            if item.id in counted:
                label = item.label or {"vi": item.id, "en": item.id}
                lines.append((item.id, label, counted[item.id]))
        return lines

    def line_for(self, area: Area, standard: Standard) -> int:
        """Return the score at or below which income is at or below the line: the table's
        own threshold, else the standard's."""
        own = self.thresholds or standard.score.score_a_line
        return own.for_area(area)

    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the score-A estimate of a table whose points do not differ by region."""
        return self.for_region(None).estimate(household, standard)


class RegionalScore:
    """A score table applied in one region: the income estimator of its communes (of one
    household, when the table reads the answers of its form)."""

    def __init__(
        self, table: ScoreTable, region: Region | None, answers: Mapping[str, Any] | None = None
    ) -> None:
        self.table = table
        self.region = region
        self.answers = answers

    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the score-A estimate, or None when the table reads the form's answers and
        there are none (the Phiếu B1 was not filled); no income in dong is known by this
        method."""
        if self.answers is None and self.table.reads_answers:
            return None
        total, counted = self.table.score(household, self.region, self.answers)
        thresholds = self.table.thresholds
        line = None if thresholds is None else thresholds.for_area(household.area)
        return IncomeEstimate("score_a", None, total, counted, line)


def form_items(form: Form) -> list[tuple[str, dict[str, str]]]:
    """Return the scored items of a Phiếu B1 form: each answerable question outside rosters,
    in the form's order, with its label. Notes, groups and calculations are not items (a
    table may still read a calculation)."""
    items = []
    for node in form.nodes.values():
        question = node.question
        if node.rosters or isinstance(
            question, NoteQuestion | GroupQuestion | RosterQuestion | CalculateQuestion
        ):
            continue
        items.append((question.id, question.label.model_dump()))
    return items


def parse_score_table(
    text: str, source: str = "<text>", items: Iterable[str] | None = None
) -> ScoreTable:
    """Return the score table defined by the YAML ``text``. With ``items`` (the ids of the
    form's scored items) a table that gives no points for one of them is refused, naming it."""
    try:
        table = ScoreTable.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise RasoatError(ErrorCode.INVALID_SCORE_TABLE, source=source, problem=str(exc)) from None
    if items is not None:
        given = {item.id for item in table.items}
        for item_id in items:
            if item_id not in given:
                raise RasoatError(
                    ErrorCode.INVALID_SCORE_TABLE,
                    source=source,
                    problem=f"item {item_id} of the form has no points",
                )
    return table


def check_against_form(table: ScoreTable, form: Form, source: str) -> ScoreTable:
    """Return ``table`` when it gives points to every scored item of ``form`` (an item is
    scored when at least one line of the table reads its answer) and reads only the form's
    questions; else raise SCORE_ITEM_MISSING naming the first item left out, or
    INVALID_SCORE_TABLE for a question the form does not have."""
    read = {item.answer for item in table.items if item.answer is not None}
    for item_id, label in form_items(form):
        if item_id not in read:
            raise RasoatError(
                ErrorCode.SCORE_ITEM_MISSING,
                source=source,
                item=item_id,
                # The form's label as the enumerator reads it; the English one for clients.
                label=label["vi"],
                label_en=label["en"],
                form=form.key,
            )
    unknown = sorted(read - set(form.nodes))
    if unknown:
        raise RasoatError(
            ErrorCode.INVALID_SCORE_TABLE,
            source=source,
            problem=f"form {form.key} has no question {unknown[0]}",
        )
    return table


SHIPPED_DIR = Path(__file__).parent / "standards" / "score_tables"
"""The score tables shipped with the code: examples only (``example_only: true``)."""


def shipped_tables() -> list[ScoreTable]:
    """Return the shipped example tables, by id."""
    return [
        parse_score_table(path.read_text("utf-8"), path.name)
        for path in sorted(SHIPPED_DIR.glob("*.yaml"))
    ]
