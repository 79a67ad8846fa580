"""The household interchange format ``rasoat.household/1``.

Every API and the command line accept and produce this document; internal models may differ,
this contract does not. A missing optional field means "not recorded": the engine reports the
indicators that need it as ``unknown`` rather than guessing. Unknown fields are rejected.

The format is declared with msgspec rather than Pydantic because decoding and validating it is
on the hot path of every classification: msgspec does both in about a third of Pydantic's time
(``bench/classify.py``), and the country's 27.8 M households must classify in minutes. The
cross-field checks that a type cannot express are made by ``shared.engine.parse_household``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec

FORMAT_ID = "rasoat.household/1"

Area = Literal["rural", "urban"]
Sex = Literal["male", "female"]
Relation = Literal["head", "spouse", "child", "parent", "grandchild", "sibling", "other"]
Employment = Literal[
    "wage_with_contract",
    "wage_without_contract",
    "self_employed",
    "unemployed",
    "not_in_labour_force",
]
Disability = Literal["none", "mild", "severe", "especially_severe"]
Education = Literal[
    "none", "primary", "lower_secondary", "upper_secondary", "vocational", "college", "university"
]
SchoolLevel = Literal[
    "preschool", "primary", "lower_secondary", "upper_secondary", "vocational", "higher"
]
WallMaterial = Literal[
    "brick",
    "concrete",
    "stone",
    "hardwood",
    "bamboo",
    "mud",
    "leaves",
    "tarpaulin",
    "salvaged",
    "other",
]
FrameMaterial = Literal["reinforced_concrete", "steel", "brick", "hardwood", "bamboo", "other"]
RoofMaterial = Literal[
    "reinforced_concrete",
    "tile",
    "metal_sheet",
    "fibre_cement",
    "thatch",
    "leaves",
    "tarpaulin",
    "salvaged",
    "other",
]
WaterSource = Literal[
    "piped",
    "drilled_well",
    "protected_dug_well",
    "protected_spring",
    "rainwater",
    "bottled",
    "unprotected_well",
    "unprotected_spring",
    "surface_water",
    "tanker",
    "other",
]
Latrine = Literal[
    "septic_tank",
    "semi_septic",
    "flush_to_sewer",
    "ventilated_pit",
    "double_vault",
    "simple_pit",
    "hanging",
    "bucket",
    "none",
    "other",
]
InformationDevice = Literal["tv", "radio", "desktop", "laptop", "tablet", "smartphone"]
WasteDisposal = Literal["collected", "composted_or_buried", "burned", "dumped", "other"]
# What the member does (Decision 24/2021 Forms 01, 03, 04: "tình trạng").
Activity = Literal["working", "not_working", "in_school"]
# Causes of poverty and special groups (shared/reference/workflow.md; the review forms'
# choice lists, forms/choices/review.v1.yaml, without their "none").
PovertyCause = Literal[
    "lack_land",
    "lack_capital",
    "lack_labour",
    "lack_tools",
    "lack_know_how",
    "lack_skills",
    "illness_or_accident",
    "disability",
    "many_dependents",
    "other",
]
SpecialGroup = Literal[
    "no_labour_capacity", "revolutionary_merit", "ethnic_minority", "female_headed"
]

# Whole dong; the upper bound only keeps nonsense (and integer overflow in databases) out.
Vnd = Annotated[int, msgspec.Meta(ge=0, le=10**13)]
MemberId = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
BirthYear = Annotated[int, msgspec.Meta(ge=1880, le=2200)]
FloorArea = Annotated[float, msgspec.Meta(gt=0, le=100_000)]
# The two-digit code of an ethnic group (shared/people/ethnic_groups.yaml: 01 Kinh … 54 Rơ-măm).
Ethnicity = Annotated[str, msgspec.Meta(pattern="^(0[1-9]|[1-4][0-9]|5[0-4])$")]
# Its structure beyond the digits is checked by shared.people.citizen_id_problem.
CitizenId = Annotated[str, msgspec.Meta(pattern="^[0-9]{12}$")]
Place = Annotated[str, msgspec.Meta(min_length=1, max_length=250)]


class Income(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    """Either the measured monthly income per person, or the household's annual total."""

    monthly_per_capita_vnd: Vnd | None = None
    annual_total_vnd: Vnd | None = None


class Member(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    """One member of the household roster on the reference date."""

    member_id: MemberId
    birth_date: date | None = None
    birth_year: BirthYear | None = None
    sex: Sex | None = None
    relation: Relation | None = None
    employment: Employment | None = None
    pension: bool | None = None
    disability: Disability | None = None
    health_insurance: bool | None = None
    education: Education | None = None
    in_school: bool | None = None
    school_level: SchoolLevel | None = None
    stunted: bool | None = None
    underweight: bool | None = None
    phone_subscription: bool | None = None
    uses_internet: bool | None = None
    # Facts the official forms and reports need; no indicator reads them.
    ethnicity: Ethnicity | None = None
    citizen_id: CitizenId | None = None
    citizen_id_issued_on: date | None = None
    citizen_id_issued_by: Place | None = None
    permanent_residence: Place | None = None
    current_residence: Place | None = None
    activity: Activity | None = None
    no_labour_capacity: bool | None = None
    # Monthly social allowance (Decree 20/2021/NĐ-CP) in dong; 0 when the member gets none.
    monthly_social_allowance_vnd: Vnd | None = None
    revolutionary_merit: bool | None = None

    @property
    def born(self) -> date | None:
        """Return the birth date, or 1 July of the birth year when only the year is known."""
        if self.birth_date is not None:
            return self.birth_date
        if self.birth_year is not None:
            return date(self.birth_year, 7, 1)
        return None


class Housing(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    walls: WallMaterial | None = None
    frame: FrameMaterial | None = None
    roof: RoofMaterial | None = None
    floor_area_m2: FloorArea | None = None


class Household(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    """A household review as the engine reads it."""

    format: Literal["rasoat.household/1"]
    household_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    reference_date: date
    area: Area
    members: Annotated[list[Member], msgspec.Meta(min_length=1, max_length=100)]
    income: Income | None = None
    housing: Housing | None = None
    water_source: WaterSource | None = None
    latrine: Latrine | None = None
    internet_access: bool | None = None
    information_devices: list[InformationDevice] | None = None
    hears_loudspeaker: bool | None = None
    waste_disposal: WasteDisposal | None = None
    special_groups: list[SpecialGroup] | None = None
    poverty_causes: list[PovertyCause] | None = None
    poverty_cause_other: Place | None = None


def household_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``rasoat.household/1`` (docs/household.schema.json)."""
    schema: dict[str, Any] = msgspec.json.schema(Household)
    schema["$id"] = "https://rasoat.example/schemas/rasoat.household-1.json"
    schema["title"] = FORMAT_ID
    return schema
