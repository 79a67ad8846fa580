"""Score tables as the API lists them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ScoreTableOut(BaseModel):
    id: str
    title: str
    example_only: bool = Field(
        description="An example with invented points, never the official Phiếu B1 table"
    )
    shipped: bool = Field(description="Shipped with the software (always an example)")
    province_code: str | None
    form: str | None = Field(description="The form whose answers it scores, id/version")
    loaded_at: datetime | None
