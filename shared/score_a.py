"""A province's score-A table: household income estimated from its characteristics.

Circular 07/2021 lets a province estimate income with a points table instead of measuring it.
The table is the province's data, loaded with ``parse_score_table``; the example table in the
tests is labelled as an example and is not an official table.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.errors import ErrorCode, RasoatError
from shared.household import Household
from shared.income import IncomeEstimate
from shared.standard import Standard


class ScoreItem(BaseModel):
    """Points added when a household characteristic matches.

    ``field`` is a dotted path into the household document (``housing.roof``,
    ``water_source``) or ``member_count``; exactly one test applies: ``equals``, ``in``,
    ``at_least``, ``at_most`` or ``contains`` (for lists such as ``information_devices``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    equals: str | int | float | bool | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    contains: str | None = None
    points: int

    @model_validator(mode="after")
    def _one_test(self) -> ScoreItem:
        tests = [self.equals, self.in_, self.at_least, self.at_most, self.contains]
        if sum(test is not None for test in tests) != 1:
            raise ValueError(f"item {self.field}: give exactly one test")
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
    """A province's score-A table: base points plus the points of every matching item."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    example_only: bool = False
    base_points: int
    items: Annotated[list[ScoreItem], Field(min_length=1)]

    def score(self, household: Household) -> int:
        """Return the household's score A."""
        document = msgspec.to_builtins(household)
        document["member_count"] = len(household.members)
        total = self.base_points
        for item in self.items:
            value: Any = document
            for part in item.field.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if item.matches(value):
                total += item.points
        return total

    def estimate(self, household: Household, standard: Standard) -> IncomeEstimate | None:
        """Return the score-A estimate; no income in dong is known by this method."""
        return IncomeEstimate("score_a", None, self.score(household))


def parse_score_table(text: str, source: str = "<text>") -> ScoreTable:
    """Return the score-A table defined by the YAML ``text``."""
    try:
        return ScoreTable.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise RasoatError(ErrorCode.INVALID_SCORE_TABLE, source=source, problem=str(exc)) from None
