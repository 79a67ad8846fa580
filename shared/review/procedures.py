"""The review procedures as data (``procedures.yaml``): whether a hamlet meeting votes, how
many working days the lists are posted and a re-check may take, and the annual window."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field

Text = dict[str, str]


class ProcedureKind(StrEnum):
    ANNUAL = "annual"
    MONTHLY = "monthly"
    AVERAGE_LIVING = "average_living"
    LOW_INCOME_WORKER = "low_income_worker"


class IncomeMethod(StrEnum):
    """How a round knows poor and near-poor households' income (Circular 07/2021): scored
    from Phiếu B1 with the province's table, or measured; the application-based procedures
    (average living standard, low-income workers) always measure it."""

    MEASURED = "measured"
    SCORE = "score"


SCORED_PROCEDURES = (ProcedureKind.ANNUAL, ProcedureKind.MONTHLY)
"""The procedures that may score income: those that review poor and near-poor households."""


class PostingPlace(StrEnum):
    """Where a list is posted: the hamlet's cultural house, the commune People's Committee
    office (Decision 24/2021/QĐ-TTg, Art. 4(4): both, for the same working days)."""

    HAMLET = "hamlet"
    COMMUNE_OFFICE = "commune_office"


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str | None = None
    end: str | None = None
    start_day: Annotated[int, Field(ge=1, le=28)] | None = None


class Procedure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    reference: str
    meeting: bool
    window: Window
    posting_working_days: Annotated[int, Field(ge=1, le=30)]
    recheck_working_days: Annotated[int, Field(ge=1, le=30)]
    decision_within_days: Annotated[int, Field(ge=1, le=90)] | None
    list_year_offset: Annotated[int, Field(ge=0, le=1)]

    def list_year(self, year: int) -> int:
        """Return the year of the list a round of this procedure opened in ``year`` makes."""
        return year + self.list_year_offset

    def default_period(self, year: int, month: int = 9) -> tuple[date, date]:
        """Return the default (first, last) day of a round of this procedure: the annual
        window of ``year``, or from the ``start_day`` of ``month`` to its decision deadline
        (the last day of the month when there is none)."""
        if self.window.start and self.window.end:
            first = date.fromisoformat(f"{year}-{self.window.start}")
            return first, date.fromisoformat(f"{year}-{self.window.end}")
        first = date(year, month, self.window.start_day or 1)
        if self.decision_within_days is not None:
            return first, date.fromordinal(first.toordinal() + self.decision_within_days)
        next_month = date(year + month // 12, month % 12 + 1, 1)
        return first, date.fromordinal(next_month.toordinal() - 1)


@cache
def procedures() -> dict[ProcedureKind, Procedure]:
    """Return every procedure by kind, read once from ``procedures.yaml``."""
    text = (Path(__file__).parent / "procedures.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return {ProcedureKind(kind): Procedure.model_validate(data) for kind, data in raw.items()}


def procedure(kind: ProcedureKind) -> Procedure:
    """Return the procedure of ``kind``."""
    return procedures()[kind]
