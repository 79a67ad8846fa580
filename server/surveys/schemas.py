"""Surveys as the API takes and shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AliasChoices, BaseModel, Field

from server.ids import BodyId
from shared.vocabulary import HouseholdClass


class Location(BaseModel):
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    accuracy_m: Annotated[float, Field(ge=0, le=100_000)] | None = None


class PhotoRef(BaseModel):
    """A photo taken during the survey, uploaded separately and named by its SHA-256."""

    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    question: Annotated[str, Field(max_length=120)] | None = None


class SurveyIn(BaseModel):
    survey_uuid: UUID = Field(
        # ``submission_id``: its name before the rename, sent by tablets installed before it
        # (through the 2027 review season, docs/api.md "Deprecated").
        validation_alias=AliasChoices("survey_uuid", "submission_id"),
        description="Chosen by the tablet; resending is harmless",
    )
    household_id: BodyId
    form_id: Annotated[str, Field(min_length=1, max_length=64)]
    form_version: Annotated[int, Field(ge=1, le=10_000)]
    answers: dict[str, Any]
    meta: dict[str, Any] = {}
    started_at: datetime | None = None
    completed_at: datetime | None = None
    location: Location | None = None
    photos: Annotated[list[PhotoRef], Field(max_length=50)] = []


class SurveyOut(BaseModel):
    id: int
    survey_uuid: str
    household_id: int
    household_code: str
    form_id: str
    form_version: str
    year: int
    household_class: HouseholdClass
    classification_id: int | None
    received_at: datetime
    result: dict[str, Any] = Field(description="The engine's classification result")
    warnings: list[dict[str, Any]] = []


class SubmissionOut(SurveyOut):
    """The answer of the deprecated ``/submissions`` routes: a survey with its tablet id also
    under its name before the rename; through the 2027 review season (docs/api.md)."""

    submission_id: str
