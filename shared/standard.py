"""What a poverty standard is, as data: thresholds, class rules, parameters and indicators.

A standard file (``shared/standards/*.yaml``) is validated into these models. Every threshold,
rule and operational definition carries its legal reference; a new standard is a new file, and
a province corrects a parameter by editing data, not code.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.household import (
    Area,
    Disability,
    Education,
    Employment,
    FrameMaterial,
    InformationDevice,
    RoofMaterial,
    SchoolLevel,
    WallMaterial,
)

Text = dict[Literal["vi", "en"], str]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InForce(_Data):
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        """Return True when ``day`` falls within the period (both ends included)."""
        return self.start <= day and (self.end is None or day <= self.end)


class Threshold(_Data):
    """An income threshold in VND per person per month, by area."""

    rural: Annotated[int, Field(ge=0)]
    urban: Annotated[int, Field(ge=0)]
    reference: str

    def for_area(self, area: Area) -> int:
        """Return the threshold that applies in ``area``."""
        return self.rural if area == "rural" else self.urban


class ClassRule(_Data):
    """Households whose income is at or below ``income_at_most`` and who have at least
    ``min_deprivations`` deprivations belong to ``household_class``. Rules are tried in order;
    the first that matches wins, and a household that matches none is ``not_poor``."""

    household_class: Literal["poor", "near_poor", "average"] = Field(alias="class")
    income_at_most: str
    min_deprivations: Annotated[int, Field(ge=0)] = 0
    reference: str


class ScoreParameters(_Data):
    """Circular 07/2021's points form of the same test."""

    points_per_deprivation: Annotated[int, Field(gt=0)]
    score_a_line: Threshold


class Retirement(_Data):
    """Statutory retirement age by year: ``months`` in ``from_year``, rising by ``step_months``
    a year up to ``max_months``; ``before_months`` applies to earlier years."""

    from_year: int
    months: Annotated[int, Field(gt=0)]
    step_months: Annotated[int, Field(ge=0)]
    max_months: Annotated[int, Field(gt=0)]
    before_months: Annotated[int, Field(gt=0)]

    def months_in(self, year: int) -> int:
        """Return the retirement age in months for reviews in ``year``."""
        if year < self.from_year:
            return self.before_months
        return min(self.months + self.step_months * (year - self.from_year), self.max_months)


class WorkingAge(_Data):
    min_years: Annotated[int, Field(ge=0)]
    male: Retirement
    female: Retirement
    reference: str


class DependentDefinition(_Data):
    """Who counts as a dependent: children under ``under_years``; people past working age
    without a pension when ``past_working_age_without_pension``; people with the listed
    disabilities."""

    under_years: Annotated[int, Field(ge=0)]
    past_working_age_without_pension: bool
    disabilities: list[Disability]
    reference: str


class Parameters(_Data):
    working_age: WorkingAge
    dependent: DependentDefinition


# Indicator rules: one kind per way of testing a household, parameters in the data.


class WorkingAgeEmployment(_Data):
    kind: Literal["working_age_employment"]
    deprived_statuses: list[Employment]


class DependentShare(_Data):
    kind: Literal["dependent_share"]
    max_share: Annotated[float, Field(gt=0, lt=1)]

    @cached_property
    def share_ratio(self) -> tuple[int, int]:
        """The share as an exact ratio (numerator, denominator): "exactly 50 %" compares
        exactly, without floating point."""
        ratio = Fraction(str(self.max_share))
        return ratio.numerator, ratio.denominator

    @cached_property
    def share_percent(self) -> str:
        """The share as a percentage for reasons."""
        return f"{self.max_share * 100:g}"


class ChildNutrition(_Data):
    kind: Literal["child_nutrition"]
    under_years: Annotated[int, Field(gt=0)]


class UninsuredMember(_Data):
    kind: Literal["uninsured_member"]
    min_years: Annotated[int, Field(ge=0)]


class EducationBand(_Data):
    min_years: int
    max_years: int
    accepted: list[Education]


class AdultEducation(_Data):
    kind: Literal["adult_education"]
    bands: list[EducationBand]


class SchoolBand(_Data):
    min_age: int
    max_age: int
    min_rank: int


class ChildSchooling(_Data):
    """Children from ``min_years`` to under ``under_years`` in completed years on the
    reference date are in scope; the level expected of them goes by their age at the start of
    the school year (the start year minus the birth year)."""

    kind: Literal["child_schooling"]
    min_years: Annotated[int, Field(ge=0)]
    under_years: Annotated[int, Field(gt=0)]
    school_year_start_month: Annotated[int, Field(ge=1, le=12)]
    level_rank: dict[SchoolLevel, int]
    expected: list[SchoolBand]

    @cached_property
    def expected_rank(self) -> dict[int, int]:
        """The lowest acceptable level rank by age at the start of the school year."""
        return {
            age: band.min_rank
            for band in self.expected
            for age in range(band.min_age, band.max_age + 1)
        }

    @model_validator(mode="after")
    def _every_level_ranked(self) -> ChildSchooling:
        missing = set(SchoolLevel.__args__) - set(self.level_rank)  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"level_rank lacks {sorted(missing)}")
        if not self.expected:
            raise ValueError("expected names no level")
        ages = sorted(self.expected_rank)
        if ages != list(range(ages[0], ages[-1] + 1)):
            raise ValueError("expected leaves ages between its bands without a level")
        return self


class DurableMaterials(_Data):
    walls: list[WallMaterial]
    frame: list[FrameMaterial]
    roof: list[RoofMaterial]


class HousingMaterials(_Data):
    kind: Literal["housing_materials"]
    durable: DurableMaterials
    min_non_durable_parts: Annotated[int, Field(ge=1, le=3)]


class FloorAreaPerMember(_Data):
    kind: Literal["floor_area_per_member"]
    min_m2: Annotated[float, Field(gt=0)]


class HouseholdChoice(_Data):
    """Deprived unless the household's answer to ``field`` is one of ``acceptable``."""

    kind: Literal["household_choice"]
    field: Literal["water_source", "latrine", "waste_disposal"]
    acceptable: list[str]


class Telecom(_Data):
    kind: Literal["telecom"]


class InformationAccess(_Data):
    kind: Literal["information_access"]
    devices: list[InformationDevice]


class MemberUsesInternet(_Data):
    kind: Literal["member_uses_internet"]


Rule = Annotated[
    WorkingAgeEmployment
    | DependentShare
    | ChildNutrition
    | UninsuredMember
    | AdultEducation
    | ChildSchooling
    | HousingMaterials
    | FloorAreaPerMember
    | HouseholdChoice
    | Telecom
    | InformationAccess
    | MemberUsesInternet,
    Field(discriminator="kind"),
]


class Indicator(_Data):
    id: str
    dimension: str
    title: Text
    reference: str
    provisional: bool = False
    rule: Rule


class Standard(_Data):
    """One poverty standard: when it applies, its lines, its class rules and its indicators."""

    id: str
    title: Text
    legal_basis: str
    # The legal basis as a paper cites it ("Căn cứ …"), in each language.
    citation: Text | None = None
    in_force: InForce
    provisional: bool = False
    extends: str | None = None
    province: str | None = None
    thresholds: dict[str, Threshold]
    income_line: str
    score: ScoreParameters
    classes: list[ClassRule]
    dimensions: dict[str, Text]
    parameters: Parameters
    indicators: list[Indicator]

    def statement(self, list_year: int, lang: Literal["vi", "en"] = "vi") -> str:
        """Return the sentence a paper or a screen states the standard of a list with: the
        list's year, the standard's title and citation, and whether its figures are still
        provisional."""
        citation = f" ({self.citation[lang]})" if self.citation else ""
        if lang == "vi":
            text = f"Danh sách năm {list_year} theo {self.title['vi'].lower()}{citation}"
            if self.provisional:
                text += "; một số chỉ số và ngưỡng còn tạm tính, chờ thông tư hướng dẫn"
            return text + "."
        text = f"The {list_year} list, under the {self.title['en'].lower()}{citation}"
        if self.provisional:
            text += "; some indicators and thresholds are provisional until the circular"
        return text + "."

    @model_validator(mode="after")
    def _references_resolve(self) -> Standard:
        if self.income_line not in self.thresholds:
            raise ValueError(f"income_line {self.income_line!r} is not a threshold")
        for rule in self.classes:
            if rule.income_at_most not in self.thresholds:
                raise ValueError(f"class rule threshold {rule.income_at_most!r} is not defined")
        ids = [indicator.id for indicator in self.indicators]
        if len(ids) != len(set(ids)):
            raise ValueError("indicator ids repeat")
        for indicator in self.indicators:
            if indicator.dimension not in self.dimensions:
                raise ValueError(f"indicator {indicator.id}: unknown dimension")
        return self
