"""The sync protocol's messages (version 1, docs/sync.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator, model_validator

from server.households.schemas import MemberIn
from server.ids import BodyId
from server.surveys.schemas import Location, PhotoRef

PROTOCOL = 1
# A version is a seq of the change sequence (BIGINT).
Version = Annotated[int, Field(ge=0, le=2**63 - 1)]
# A change path: a household field, a member ("members/<no>") or a member's field.
Path = Annotated[str, Field(min_length=1, max_length=80)]


class HouseholdCreate(BaseModel):
    """A household registered on the tablet."""

    kind: Literal["household.create"]
    id: UUID = Field(description="Idempotency key chosen by the tablet")
    hamlet_id: BodyId
    code: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    head_name: Annotated[str, Field(min_length=1, max_length=120)]
    address: Annotated[str, Field(max_length=255)] = ""
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    members: Annotated[list[MemberIn], Field(max_length=100)] = []


class HouseholdEdit(BaseModel):
    """Changed fields of a household, each with the value the tablet started from."""

    kind: Literal["household.edit"]
    id: UUID
    household_id: BodyId
    base_version: Version
    set: Annotated[dict[Path, Any], Field(min_length=1, max_length=200)]
    base: Annotated[dict[Path, Any], Field(max_length=200)] = {}


class SurveyPush(BaseModel):
    """A survey filled on the tablet; ``id`` is the id the tablet pushes it under.

    Tablets installed before the rename send ``kind: "submission"``; it is read as "survey"
    through the 2027 review season (docs/sync.md, "Deprecated")."""

    kind: Literal["survey", "submission"]
    id: UUID
    household_id: BodyId
    form_id: Annotated[str, Field(min_length=1, max_length=64)]
    form_version: Annotated[int, Field(ge=1, le=10_000)]
    answers: dict[str, Any]
    meta: dict[str, Any] = {}
    started_at: datetime | None = None
    completed_at: datetime | None = None
    location: Location | None = None
    photos: Annotated[list[PhotoRef], Field(max_length=50)] = []

    @field_validator("kind")
    @classmethod
    def _one_kind(cls, kind: str) -> str:
        return "survey"


PushRecord = Annotated[HouseholdCreate | HouseholdEdit | SurveyPush, Field(discriminator="kind")]


class PushIn(BaseModel):
    """A batch of records, as documented (OpenAPI). The server reads it as ``PushBatch``
    and each record on its own, so one record it cannot take is refused alone."""

    protocol: Literal[1] = 1
    records: Annotated[list[PushRecord], Field(min_length=1, max_length=500)]


class PushBatch(BaseModel):
    protocol: Literal[1] = 1
    records: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=500)]


class Outcome(BaseModel):
    """What became of one pushed record. ``status`` is an HTTP status for the record alone:
    200/201 applied, 409 the id was used for other content, 4xx refused (``error``)."""

    id: str
    status: int
    result: Literal["applied", "merged", "conflict", "refused"]
    replayed: bool = False
    household_id: int | None = None
    version: int | None = None
    conflict_id: int | None = None
    survey_id: int | None = None
    # The same number under its name before the rename, read by tablets installed before it;
    # sent through the 2027 review season (docs/sync.md, "Deprecated").
    submission_id: int | None = None
    household_class: str | None = None
    geofence: dict[str, Any] | None = None
    error: str | None = None
    message: str | None = None
    detail: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _both_names(self) -> Outcome:
        """Carry the survey's number under both names, also when replaying an outcome stored
        before the rename (which has only ``submission_id``)."""
        number = self.survey_id if self.survey_id is not None else self.submission_id
        self.survey_id = self.submission_id = number
        return self


class PushOut(BaseModel):
    protocol: int = PROTOCOL
    outcomes: list[Outcome]


class PullItem(BaseModel):
    """One entity of the working set; ``d`` is None for a tombstone."""

    e: str
    k: str
    v: int
    d: dict[str, Any] | None


class PullOut(BaseModel):
    protocol: int = PROTOCOL
    items: list[PullItem]
    cursor: str
    more: bool


class ConflictOut(BaseModel):
    id: int
    household_id: int
    hamlet_id: int
    record: str
    device_id: int
    status: str
    fields: dict[str, Any]
    resolution: dict[str, Any] | None


class ResolveIn(BaseModel):
    """Which version of every conflicting field stands, or explicit values per path."""

    keep: Literal["server", "device"] | None = None
    values: Annotated[dict[Path, Any], Field(max_length=200)] = {}


class PhotoState(BaseModel):
    sha256: str
    size: int | None
    received: int
    complete: bool
