"""Request bodies of the reports API; answers are the report data as JSON (``render.plain``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Count = Field(default=None, ge=0, le=10_000_000)


class CountsIn(BaseModel):
    """Poor and near-poor households to have left at the end of the year (None: no target)."""

    model_config = ConfigDict(extra="forbid")

    poor: int | None = Count
    near_poor: int | None = Count


class TargetsIn(BaseModel):
    """The commune's own targets; hamlets by code, service targets by key (see
    ``GET …/targets`` for the keys and seed 003's defaults)."""

    model_config = ConfigDict(extra="forbid")

    commune: CountsIn | None = None
    hamlets: dict[str, CountsIn] = Field(default_factory=dict, max_length=500)
    services: dict[str, float] = Field(default_factory=dict, max_length=20)
