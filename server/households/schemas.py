"""Households and members as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator

from server.ids import BodyId
from shared.household import Activity, PovertyCause, Relation, Sex, SpecialGroup
from shared.people import citizen_id_problem
from shared.vocabulary import HouseholdClass

Place = Annotated[str, Field(min_length=1, max_length=250)]
Ethnicity = Annotated[
    str,
    Field(
        pattern="^(0[1-9]|[1-4][0-9]|5[0-4])$",
        description="Two-digit code of the official list of ethnic groups (01 Kinh … 54 Rơ-măm)",
    ),
]


class MemberIn(BaseModel):
    member_no: Annotated[str, Field(min_length=1, max_length=40)]
    full_name: Annotated[str, Field(min_length=1, max_length=120)]
    birth_date: date | None = None
    sex: Sex | None = None
    relation: Relation | None = None
    national_id: Annotated[str, Field(pattern=r"^[0-9]{9}$|^[0-9]{12}$")] | None = None
    national_id_issued_on: date | None = None
    national_id_issued_by: Place | None = None
    ethnicity: Ethnicity | None = None
    permanent_residence: Place | None = None
    current_residence: Place | None = None
    activity: Activity | None = None
    no_labour_capacity: bool | None = None
    monthly_social_allowance_vnd: Annotated[int, Field(ge=0, le=10**13)] | None = None
    revolutionary_merit: bool | None = None

    @model_validator(mode="after")
    def _identity_number(self) -> MemberIn:
        # A 9-digit number is an old identity card, whose digits have no structure to check.
        number = self.national_id
        if number is not None and len(number) == 12:
            year = self.birth_date.year if self.birth_date is not None else None
            problem = citizen_id_problem(number, self.sex, year)
            if problem is not None:
                raise ValueError(f"national_id: {problem}")
        if self.national_id_issued_on is not None and number is None:
            raise ValueError("national_id_issued_on: issued without a number")
        return self


class HouseholdIn(BaseModel):
    hamlet_id: BodyId
    code: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    head_name: Annotated[str, Field(min_length=1, max_length=120)]
    address: Annotated[str, Field(max_length=255)] = ""
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    members: Annotated[list[MemberIn], Field(max_length=100)] = []
    special_groups: list[SpecialGroup] | None = None
    poverty_causes: list[PovertyCause] | None = None
    poverty_cause_other: Place | None = None


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
    national_id_issued_on: date | None = Field(
        description="Shown with the number only to roles that need it"
    )
    national_id_issued_by: str | None = Field(
        description="Shown with the number only to roles that need it"
    )
    ethnicity: str | None
    permanent_residence: str | None
    current_residence: str | None
    activity: str | None
    no_labour_capacity: bool | None
    monthly_social_allowance_vnd: int | None
    revolutionary_merit: bool | None


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
    survey_id: int | None
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
    special_groups: list[str] | None = Field(description="As the latest review recorded them")
    poverty_causes: list[str] | None = Field(description="As the latest review recorded them")
    poverty_cause_other: str | None
    history: list[ClassRecord]
    latest: dict[str, Any] | None = Field(
        description="The engine's result of the latest standing classification: class, "
        "deprivations and each indicator's reason"
    )
