"""A score table: household income estimated from its characteristics (Phiếu B1).

Circular 07/2021 has poor and near-poor households' income estimated with a points table
instead of measured: each item of the form (roof material, a motorbike, the size of the
household …) adds points that differ by socio-economic region and between urban and rural
areas, and score A at or below the threshold (140 rural, 175 urban) means income at or below
the line. The table is a province's data, loaded with ``parse_score_table``: a table may give
an item one number everywhere, one per area, or one per area in each of the six regions, and
may set its own thresholds. The official weights are not public here; the table in the tests
is an example and says so (``example_only``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

import msgspec
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.errors import ErrorCode, RasoatError
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

    ``id`` names the item of the form; ``field`` is a dotted path into the household document
    (``housing.roof``, ``water_source``) or ``member_count``; exactly one test applies:
    ``equals``, ``in``, ``at_least``, ``at_most`` or ``contains`` (for lists such as
    ``information_devices``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=80)]
    label: dict[str, str] | None = None
    field: str
    equals: str | int | float | bool | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    contains: str | None = None
    points: Points

    @model_validator(mode="after")
    def _one_test(self) -> ScoreItem:
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

    id: str
    title: str
    example_only: bool = False
    reference: str | None = None
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
        return self

    def score(
        self, household: Household, region: Region | None = None
    ) -> tuple[int, tuple[tuple[str, int], ...]]:
        """Return the household's score A and the points of each item that counted."""
        area = household.area
        document = msgspec.to_builtins(household)
        document["member_count"] = len(household.members)
        total = _points(self.base_points, region, area)
        counted = []
        for item in self.items:
            value: Any = document
            for part in item.field.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if item.matches(value):
                points = _points(item.points, region, area)
                total += points
                counted.append((item.id, points))
        return total, tuple(counted)

    def for_region(self, region: Region | None) -> RegionalScore:
        """Return the estimator of households in ``region``."""
        return RegionalScore(self, region)

    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the score-A estimate of a table whose points do not differ by region."""
        return self.for_region(None).estimate(household, standard)


class RegionalScore:
    """A score table applied in one region: the income estimator of its communes."""

    def __init__(self, table: ScoreTable, region: Region | None) -> None:
        self.table = table
        self.region = region

    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the score-A estimate; no income in dong is known by this method."""
        total, counted = self.table.score(household, self.region)
        thresholds = self.table.thresholds
        line = None if thresholds is None else thresholds.for_area(household.area)
        return IncomeEstimate("score_a", None, total, counted, line)


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
