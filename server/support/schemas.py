"""Exiting poverty as the API takes and shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from server.ids import BodyId
from shared.vocabulary import HouseholdClass

Organisation = Literal[
    "commune_staff",
    "fatherland_front",
    "womens_union",
    "farmers_union",
    "veterans_union",
    "youth_union",
]
Skill = Literal[
    "crops_livestock", "credit", "vocational_jobs", "health", "housing", "social_assistance"
]
FundingSource = Literal[
    "programme_budget", "social_policy_bank_loan", "fatherland_front_fund", "community", "other"
]
ActionStatus = Literal["planned", "in_progress", "done", "cancelled"]
Stage = Literal["registered", "on_track", "exited"]
Year = Annotated[int, Field(ge=2021, le=2100)]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Reason = Annotated[str, Field(min_length=1, max_length=250)]
Weight = Annotated[float, Field(ge=0, le=1_000_000)]


class OfficerIn(BaseModel):
    full_name: Name
    organisation: Organisation
    skills: Annotated[list[Skill], Field(max_length=6)]
    hamlet_ids: Annotated[
        list[BodyId], Field(max_length=200, description="Responsible hamlets; empty: all")
    ] = []
    capacity: Annotated[int, Field(ge=0, le=1000, description="Households at most")]
    base_latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    base_longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    user_id: BodyId | None = Field(None, description="The officer's account, for the tablet")
    active: bool = True


class OfficerCreate(OfficerIn):
    commune_id: BodyId


class OfficerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    commune_id: int
    full_name: str
    organisation: str
    skills: list[str]
    hamlet_ids: list[int]
    capacity: int
    base_latitude: float | None
    base_longitude: float | None
    user_id: int | None
    active: bool


class Need(BaseModel):
    help_type: Annotated[str, Field(min_length=1, max_length=32)]
    detail: Annotated[str, Field(max_length=250)] | None = None
    responsible: Annotated[str, Field(max_length=120)] | None = None


class RegistrationIn(BaseModel):
    household_id: BodyId
    year: Year
    causes: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=20)]
    needs: Annotated[list[Need], Field(min_length=1, max_length=20)]
    target_date: date
    officers_needed: Annotated[int, Field(ge=1, le=5)] = 1


class RegistrationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    hamlet_id: int
    year: int
    status: str
    starting_class: str
    causes: list[str]
    deprivations: list[str]
    needs: list[dict[str, Any]]
    officers_needed: int
    target_date: date
    registered_at: datetime
    confirmed_at: datetime | None


class StatusIn(BaseModel):
    registration_ids: Annotated[list[BodyId], Field(min_length=1, max_length=1000)]
    status: Literal["confirmed", "withdrawn"]


class TargetIn(BaseModel):
    households: Annotated[int, Field(ge=0, le=100_000)]


class TargetOut(BaseModel):
    hamlet_id: int
    year: int
    households: int


class HamletCountOut(BaseModel):
    hamlet_id: int
    hamlet_name: str
    target: int | None
    registered: int
    confirmed: int


class WeightsIn(BaseModel):
    """The cost's parameters (docs/support.md); omitted ones keep their defaults."""

    unmet_need: Weight = 4.0
    distance_per_km: Weight = 1.0
    load: Weight = 2.0
    change: Weight = 3.0
    unassigned: Weight = 1000.0
    unknown_distance_km: Weight = 3.0
    require_hamlet: bool = True
    candidates: Annotated[int, Field(ge=1, le=10_000)] = 40


class ProposalIn(BaseModel):
    commune_id: BodyId
    year: Year
    weights: WeightsIn = WeightsIn()


class PickOut(BaseModel):
    registration_id: int
    household_id: int
    officer_id: int
    explanation: dict[str, Any] = Field(
        description="skills_matched, skills_missing, distance_km, load, capacity, "
        "kept_from_last_year, responsible_for_hamlet, cost"
    )


class UnassignedOut(BaseModel):
    registration_id: int
    missing: int
    reason: str


class ProposalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    commune_id: int
    year: int
    status: str
    weights: dict[str, Any]
    total_cost: float
    cost_terms: dict[str, float]
    picks: list[PickOut]
    unassigned: list[UnassignedOut]
    loads: dict[str, int]
    created_at: datetime


class ChangeIn(BaseModel):
    registration_id: BodyId
    officer_ids: Annotated[list[BodyId], Field(max_length=10)]


class DecisionIn(BaseModel):
    """Accept the proposal; ``changes`` edit it first."""

    changes: Annotated[list[ChangeIn], Field(max_length=10_000)] = []
    reason: Reason | None = None


class OverrideIn(BaseModel):
    officer_ids: Annotated[list[BodyId], Field(max_length=10)]
    reason: Reason


class AssignmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    registration_id: int
    officer_id: int
    source: str
    proposal_id: int | None
    explanation: dict[str, Any] | None
    reason: str | None
    assigned_at: datetime


class ActionIn(BaseModel):
    action: Annotated[str, Field(min_length=1, max_length=250)]
    funding_source: FundingSource
    status: ActionStatus = "planned"
    help_type: Annotated[str, Field(max_length=32)] | None = None
    officer_id: BodyId | None = None
    organisation: Organisation | None = None
    planned_date: date | None = None
    actual_date: date | None = None
    value_vnd: Annotated[int, Field(ge=0, le=10**13)] | None = None


class ActionOut(ActionIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    registration_id: int


class VisitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    uuid: str
    officer_id: int | None
    user_id: int
    visit_date: date
    progress: str
    total_value_vnd: int
    photos: list[str]
    received_at: datetime


class StandingOut(BaseModel):
    registration_id: int
    household_id: int
    household_code: str
    hamlet_id: int
    starting_class: str
    predicted_class: HouseholdClass
    remaining_deprivations: list[str]
    complete: bool
    source: Literal["latest_survey", "standing_class"]
    stage: Stage
    officer_ids: list[int]
    visits: int
    last_progress: str | None
    actions: int
    actions_done: int
    path: PathProgressOut


class PathProgressOut(BaseModel):
    """How far along its exit path the household is (docs/support.md, Progress)."""

    done: list[str] = Field(description="Deprivations registered with, resolved since (engine)")
    remaining: list[str] = Field(description="Deprivations registered with, still found")
    next_steps: list[list[str]] = Field(description="Tied minimal sets still needed for near-poor")
    near_poor_or_better: bool | None
    off_lists: bool | None
    income_gap_per_capita_vnd: int | None


class SuggestedStep(BaseModel):
    indicator: str
    title: str
    tier: int
    units: int | None
    unit: str
    action: str
    help_type: str | None
    organisations: list[Organisation]
    by: str
    why_this_order: str
    now: str | None


class SuggestedPath(BaseModel):
    target: Literal["near_poor"]
    reaches: HouseholdClass
    steps: list[SuggestedStep]
    text: str


class SuggestedIncome(BaseModel):
    target: Literal["off_lists"]
    reaches: HouseholdClass
    income_gap_per_capita_vnd: int
    income_gap_household_vnd: int | None
    text: str


class SuggestedPlanOut(BaseModel):
    """The support plan the household's exit path suggests; nothing of it is stored."""

    model_config = ConfigDict(populate_by_name=True)

    registration_id: int
    household_id: int
    source: Literal["latest_survey", "standing_class"]
    household_class: HouseholdClass = Field(alias="class")
    standard: str | None
    income_line_vnd: int | None
    income_per_capita_vnd: int | None
    to_near_poor: list[SuggestedPath]
    off_lists: SuggestedIncome | None
    blocked: list[str]
    missing: list[str]
    summary: str | None


class RegistrationDetail(RegistrationOut):
    assignments: list[AssignmentOut]
    plan: list[ActionOut]
    visits: list[VisitOut]
    standing: StandingOut


class TallyOut(BaseModel):
    registered: int
    on_track: int
    exited: int
    total: int


class ProgressOut(BaseModel):
    commune_id: int
    year: int
    total: TallyOut
    by_hamlet: dict[str, TallyOut]
    by_officer: dict[str, TallyOut]
    by_organisation: dict[str, TallyOut]
    households: list[StandingOut]


class FormIn(BaseModel):
    """An exit_registration or support_visit form filled on a tablet."""

    survey_uuid: UUID = Field(
        # ``submission_id``: its name before the rename (through the 2027 review season).
        validation_alias=AliasChoices("survey_uuid", "submission_id"),
        description="Chosen by the tablet; resending is harmless",
    )
    household_id: BodyId
    form_id: Literal["exit_registration", "support_visit"]
    form_version: Annotated[int, Field(ge=1, le=10_000)]
    answers: dict[str, Any]
    meta: dict[str, Any] = {}


class FormOut(BaseModel):
    kind: Literal["registration", "visit"]
    id: int
    registration_id: int
    replayed: bool
