"""Request bodies of the reports API; answers are the report data as JSON (``render.plain``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.vocabulary import TargetUnit

Count = Field(default=None, ge=0, le=10_000_000)


class CountsIn(BaseModel):
    """Poor and near-poor households to have left at the end of the year (None: no target)."""

    model_config = ConfigDict(extra="forbid")

    poor: int | None = Count
    near_poor: int | None = Count


class ServiceIn(BaseModel):
    """A service target's percentage and the unit it counts: households, persons ("khẩu",
    the near-poor's health insurance) or children ("no child out of school"); without a unit
    it keeps the one it has."""

    model_config = ConfigDict(extra="forbid")

    percent: float = Field(ge=0, le=100)
    unit: TargetUnit | None = None


class TargetsIn(BaseModel):
    """The commune's own targets; hamlets by code, service targets by key (see
    ``GET …/targets`` for the keys and seed 003's defaults)."""

    model_config = ConfigDict(extra="forbid")

    commune: CountsIn | None = None
    hamlets: dict[str, CountsIn] = Field(default_factory=dict, max_length=500)
    # A bare number is the percentage alone.
    services: dict[str, Annotated[float, Field(ge=0, le=100)] | ServiceIn] = Field(
        default_factory=dict, max_length=20
    )

    def service_settings(self) -> dict[str, tuple[float, TargetUnit | None]]:
        """Return each service target given as (percent, unit or None)."""
        return {
            key: (s, None) if isinstance(s, float | int) else (s.percent, s.unit)
            for key, s in self.services.items()
        }
