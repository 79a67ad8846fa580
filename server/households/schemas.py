"""Households and members as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from server.ids import BodyId
from shared.vocabulary import HouseholdClass

Sex = Literal["male", "female"]
Relation = Literal["head", "spouse", "child", "parent", "grandchild", "sibling", "other"]


class MemberIn(BaseModel):
    member_no: Annotated[str, Field(min_length=1, max_length=40)]
    full_name: Annotated[str, Field(min_length=1, max_length=120)]
    birth_date: date | None = None
    sex: Sex | None = None
    relation: Relation | None = None
    national_id: Annotated[str, Field(pattern=r"^[0-9]{9}$|^[0-9]{12}$")] | None = None


class HouseholdIn(BaseModel):
    hamlet_id: BodyId
    code: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    head_name: Annotated[str, Field(min_length=1, max_length=120)]
    address: Annotated[str, Field(max_length=255)] = ""
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    members: Annotated[list[MemberIn], Field(max_length=100)] = []


class HouseholdItem(BaseModel):
    id: int
    code: str
    hamlet_id: int
    hamlet_name: str
    head_name: str
    address: str
    year: int | None
    household_class: HouseholdClass | None


class HouseholdPage(BaseModel):
    items: list[HouseholdItem]
    page: int
    page_size: int
    total: int
    year: int | None = Field(description="The year whose class is shown")


class MemberOut(BaseModel):
    id: int
    member_no: str
    full_name: str
    birth_date: date | None
    sex: str | None
    relation: str | None
    national_id: str | None = Field(description="Masked unless your role needs the number")


class MemberItem(MemberOut):
    household_id: int
    household_code: str
    hamlet_id: int


class MemberPage(BaseModel):
    items: list[MemberItem]
    page: int
    page_size: int
    total: int


class ClassRecord(BaseModel):
    """One classification in the history; ``stands`` marks the one in force for its year."""

    id: int
    year: int
    household_class: HouseholdClass
    standard: str
    complete: bool
    deprived: list[str]
    source: str
    submission_id: int | None
    recorded_at: datetime
    stands: bool


class HouseholdDetail(BaseModel):
    id: int
    code: str
    hamlet_id: int
    hamlet_name: str
    commune_id: int
    area: str
    head_name: str
    address: str
    latitude: float | None
    longitude: float | None
    members: list[MemberOut]
    history: list[ClassRecord]
    latest: dict[str, Any] | None = Field(
        description="The engine's result of the latest standing classification: class, "
        "deprivations and each indicator's reason"
    )
