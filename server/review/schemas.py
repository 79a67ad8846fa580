"""The review round as the API takes and shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from server.ids import BodyId
from shared.errors import Lang
from shared.review.procedures import IncomeMethod, PostingPlace, ProcedureKind
from shared.review.states import LABELS, CaseState, allowed_actions
from shared.vocabulary import CHANGE_LABELS, Change, HouseholdClass

if TYPE_CHECKING:
    from server.review.models import Posting
    from server.review.service import CaseView, MeetingView, RoundView, ScoreDetail

Name = Annotated[str, Field(min_length=1, max_length=120)]
Reason = Annotated[str, Field(max_length=2000)]
Count = Annotated[int, Field(ge=0, le=100_000)]
MemberNo = Annotated[str, Field(min_length=1, max_length=40)]
LateReason = Annotated[str, Field(max_length=2000)] | None


class RoundIn(BaseModel):
    commune_id: BodyId
    procedure: ProcedureKind = ProcedureKind.ANNUAL
    year: Annotated[int, Field(ge=2021, le=2100)]
    starts_on: date | None = None
    ends_on: date | None = None
    month: Annotated[int, Field(ge=1, le=12)] | None = Field(
        None, description="Monthly and application rounds: the month they start in"
    )
    list_year: Annotated[int, Field(ge=2021, le=2101)] | None = Field(
        None,
        description="The year of the list the round makes: by default the next year for the "
        "annual review (run from September), the round's year for the others",
    )
    income_method: IncomeMethod = Field(
        IncomeMethod.MEASURED,
        description="How poor and near-poor income is known (Circular 07/2021): 'score' "
        "(Phiếu B1 scored with a table, annual and monthly rounds) or 'measured'",
    )
    score_table: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        None,
        description="Rounds by score: the table's id (GET /api/v1/score-tables); by default "
        "the newest official table loaded for the commune's province. The shipped "
        "'example-b1' is an EXAMPLE with invented points, never the official table",
    )


class ScoreB1In(BaseModel):
    """A case's Phiếu B1, filled in the form the round's score table scores."""

    form_id: Annotated[str, Field(min_length=1, max_length=64)] = "score_b1"
    form_version: Annotated[int, Field(ge=1, le=1000)] = 1
    answers: dict[str, Any]


class PostingOut(BaseModel):
    id: int
    round_id: int
    place: PostingPlace
    hamlet_id: int | None = Field(description="None at the commune office")
    starts_on: date
    ends_on: date = Field(description="The last working day of the posting")
    case_ids: list[int]

    @classmethod
    def from_row(cls, posting: Posting, case_ids: list[int]) -> PostingOut:
        return cls(
            id=posting.id,
            round_id=posting.round_id,
            place=PostingPlace(posting.place),
            hamlet_id=posting.hamlet_id,
            starts_on=posting.starts_on,
            ends_on=posting.ends_on,
            case_ids=case_ids,
        )


class RoundOut(BaseModel):
    id: int
    commune_id: int
    procedure: ProcedureKind
    year: int
    list_year: int = Field(description="The year of the list the round makes")
    standard: str = Field(description="The standard of that list, which classifies the surveys")
    standard_provisional: bool = Field(
        description="Some of the standard's indicators or thresholds are still provisional"
    )
    standard_statement: str = Field(description="The standard as the papers state it")
    starts_on: date
    ends_on: date
    posting_working_days: int
    recheck_working_days: int
    meeting: bool
    status: str
    decision_due_on: date | None = Field(
        description="Monthly rounds: the last day to decide and certify (15 calendar days from "
        "the start, moved to the next working day when it falls on a day off)"
    )
    decision_overdue: bool = Field(
        description="The round is still open and its decision is past due today"
    )
    decision_number: str | None
    decision_date: date | None
    decision_late_reason: str | None
    states: dict[str, int] = Field(description="How many cases are in each state")
    postings: list[PostingOut] = Field(description="At the hamlets and the commune office")
    income_method: IncomeMethod
    score_table: str | None = Field(description="Rounds by score: the table's id")
    score_table_example: bool | None = Field(
        description="True when the round's table is an example, not official points"
    )

    @classmethod
    def from_view(cls, view: RoundView) -> RoundOut:
        round_ = view.round
        return cls(
            id=round_.id,
            commune_id=round_.commune_id,
            procedure=ProcedureKind(round_.procedure),
            year=round_.year,
            list_year=round_.list_year,
            standard=view.standard.id,
            standard_provisional=view.standard.provisional,
            standard_statement=view.standard.statement(round_.list_year),
            starts_on=round_.starts_on,
            ends_on=round_.ends_on,
            posting_working_days=round_.posting_working_days,
            recheck_working_days=round_.recheck_working_days,
            meeting=view.meeting,
            status=round_.status,
            decision_due_on=round_.decision_due_on,
            decision_overdue=view.decision_overdue,
            decision_number=round_.decision_number,
            decision_date=round_.decision_date,
            decision_late_reason=round_.decision_late_reason,
            states=view.states,
            postings=[PostingOut.from_row(p, ids) for p, ids in view.postings],
            income_method=IncomeMethod(round_.income_method),
            score_table=round_.score_table,
            score_table_example=None if view.score_table is None else view.score_table.example_only,
        )


class ApplicantIn(BaseModel):
    household_id: BodyId
    application: Literal["form01", "form04"] = Field(
        description="Form 01: to be reviewed or identified; Form 04: to be recognised as exited"
    )


class HandIn(BaseModel):
    survey_id: BodyId | None = Field(
        None,
        # ``submission_id``: its name before the rename (through the 2027 review season).
        validation_alias=AliasChoices("survey_id", "submission_id"),
        description="The survey to hand in; by default the newest of the round's year",
    )


class IncomeIn(BaseModel):
    income_12_months_vnd: Annotated[int, Field(ge=0, le=10**13)]
    allowances_vnd: Annotated[int, Field(ge=0, le=10**13)] = Field(
        0, description="Social allowances received, left out of the income"
    )
    members: Annotated[int, Field(ge=1, le=100)]
    applying_members: Annotated[
        list[Annotated[str, Field(max_length=40)]], Field(max_length=100)
    ] = []


class CommentIn(BaseModel):
    question: Annotated[str, Field(min_length=1, max_length=120)] = Field(
        description="Question path in the survey: employment, members[2].education"
    )
    text: Annotated[str, Field(min_length=1, max_length=1000)]


class ReturnIn(BaseModel):
    comments: Annotated[list[CommentIn], Field(min_length=1, max_length=50)]


class OverrideIn(BaseModel):
    household_class: HouseholdClass
    reason: Reason


class WithdrawIn(BaseModel):
    reason: Reason


class MeetingIn(BaseModel):
    hamlet_id: BodyId
    held_on: date
    chair_name: Name
    secretary_name: Annotated[str, Field(max_length=120)] = ""
    front_supervisor: Name = Field(description="The Fatherland Front's supervisor")
    households_represented: Count
    others_present: Count = 0


class VoteIn(BaseModel):
    case_id: BodyId
    agree: Count


class VotesIn(BaseModel):
    votes: Annotated[list[VoteIn], Field(min_length=1, max_length=1000)]


class VoteOut(BaseModel):
    case_id: int
    agree: int
    attendees: int
    passed: bool
    state: CaseState


class MeetingOut(BaseModel):
    id: int
    round_id: int
    hamlet_id: int
    held_on: date
    chair_name: str
    secretary_name: str
    front_supervisor: str
    households_represented: int
    others_present: int
    attendees: int
    minutes_photo_sha256: str | None
    votes: list[VoteOut] = []

    @classmethod
    def from_view(cls, view: MeetingView) -> MeetingOut:
        meeting = view.meeting
        return cls(
            id=meeting.id,
            round_id=meeting.round_id,
            hamlet_id=meeting.hamlet_id,
            held_on=meeting.held_on,
            chair_name=meeting.chair_name,
            secretary_name=meeting.secretary_name,
            front_supervisor=meeting.front_supervisor,
            households_represented=meeting.households_represented,
            others_present=meeting.others_present,
            attendees=view.attendees,
            minutes_photo_sha256=meeting.minutes_photo_sha256,
            votes=[
                VoteOut(
                    case_id=v.case_id,
                    agree=v.agree,
                    attendees=v.attendees,
                    passed=v.passed,
                    state=state,
                )
                for v, state in view.votes
            ],
        )


class PostingIn(BaseModel):
    place: PostingPlace = Field(
        PostingPlace.HAMLET,
        description="hamlet: the hamlet's voted cases at its cultural house; commune_office: "
        "every case already posted at its hamlet, at the commune People's Committee office",
    )
    hamlet_id: BodyId | None = Field(None, description="Required at a hamlet, absent otherwise")
    starts_on: date

    @model_validator(mode="after")
    def _hamlet_matches_place(self) -> PostingIn:
        if (self.place is PostingPlace.HAMLET) != (self.hamlet_id is not None):
            raise ValueError("a hamlet posting names its hamlet_id; the commune office's none")
        return self


class ComplaintIn(BaseModel):
    raised_on: date
    complainant: Name
    reason: Reason


class RecheckIn(BaseModel):
    outcome_class: HouseholdClass
    note: Reason = ""
    rechecked_on: date


class ComplaintOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    raised_on: date
    complainant: str
    reason: str
    recheck_due_on: date
    before_class: str | None
    outcome_class: str | None
    outcome_note: str | None
    rechecked_on: date | None


class RecognitionIn(BaseModel):
    decision_number: Annotated[str, Field(min_length=1, max_length=40)]
    decision_date: date
    late_reason: LateReason = Field(
        None, description="Required when the decision date is past the round's deadline"
    )


class CertificatesIn(BaseModel):
    issued_on: date
    late_reason: LateReason = Field(
        None,
        description="Required when issued past the round's deadline, unless the decision "
        "itself was taken late",
    )


class Deprivation(BaseModel):
    indicator: str
    reason: str


class ScoreLineOut(BaseModel):
    item: str = Field(description="The table's line, or base_points")
    label: str
    points: int


class ScoreOut(BaseModel):
    """How a household classified by score got its score: the base points of its region and
    area and the points of each item that counted, against the line."""

    table: str
    table_title: str
    example_only: bool = Field(description="The table is an example, not official points")
    region: str | None
    region_name: str | None
    area: str
    answered: bool = Field(description="False while the case's Phiếu B1 is not recorded")
    items: list[ScoreLineOut]
    total: int | None
    line: int = Field(description="Score at or below which income is at or below the line")
    at_or_below_line: bool | None
    household_class: str | None = Field(description="The class the score and deprivations give")

    @classmethod
    def from_detail(cls, detail: ScoreDetail, lang: Lang) -> ScoreOut:
        return cls(
            table=detail.table,
            table_title=detail.title,
            example_only=detail.example_only,
            region=detail.region,
            region_name=None if detail.region_name is None else detail.region_name[lang],
            area=detail.area,
            answered=detail.answered,
            items=[
                ScoreLineOut(item=line.item, label=line.label[lang], points=line.points)
                for line in detail.lines
            ],
            total=detail.total,
            line=detail.line,
            at_or_below_line=detail.at_or_below_line,
            household_class=detail.household_class,
        )


class PhotoOut(BaseModel):
    sha256: str
    question: str | None
    thumbnail: str


class CommentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    question: str
    text: str
    return_no: int
    survey_id: int | None
    addressed_by: int | None
    created_at: datetime


class CaseOut(BaseModel):
    id: int
    round_id: int
    household_id: int
    household_code: str
    head_name: str
    hamlet_id: int
    hamlet_name: str
    state: CaseState
    state_label: str
    allowed_actions: list[str]
    listed_because: str
    application: str | None
    previous_class: str | None
    engine_class: str | None
    final_class: str | None
    overridden: bool
    override_reason: str | None
    change: str | None
    change_label: str | None
    survey_id: int | None
    deprivations: list[Deprivation]
    photos: list[PhotoOut]
    geofence_distance_m: float | None = Field(
        description="Set when the survey's GPS point lies outside the hamlet"
    )
    income: dict[str, Any] | None
    score: ScoreOut | None = Field(description="Rounds by score: the points per item")
    comments: list[CommentOut]
    complaints: list[ComplaintOut]
    posting_id: int | None
    office_posting_id: int | None
    certificate_number: str | None
    certificate_kind: str | None

    @classmethod
    def from_view(cls, view: CaseView, lang: Lang) -> CaseOut:
        """Return the case in ``lang``: its state and change labelled, the reasons of its
        deprivations from the classification's result in that language."""
        case = view.case
        deprivations = []
        if view.classification is not None:
            result = view.classification.rendered(lang)
            indicators = result.get("indicators", {})
            deprivations = [
                Deprivation(indicator=i, reason=str(indicators.get(i, {}).get("reason", "")))
                for i in view.classification.deprived
            ]
        photos = [
            PhotoOut(
                sha256=p["sha256"],
                question=p.get("question"),
                thumbnail=f"/api/v1/sync/photos/{p['sha256']}/thumbnail",
            )
            for p in (view.survey.photos if view.survey else [])
        ]
        state = CaseState(case.state)
        return cls(
            id=case.id,
            round_id=case.round_id,
            household_id=case.household_id,
            household_code=view.household.code,
            head_name=view.household.head_name,
            hamlet_id=case.hamlet_id,
            hamlet_name=view.hamlet.name,
            state=state,
            state_label=LABELS[state][lang],
            allowed_actions=[a.value for a in allowed_actions(state, view.meeting)],
            listed_because=case.listed_because,
            application=case.application,
            previous_class=case.previous_class,
            engine_class=case.engine_class,
            final_class=case.final_class,
            overridden=case.overridden,
            override_reason=case.override_reason,
            change=case.change,
            change_label=CHANGE_LABELS[Change(case.change)][lang] if case.change else None,
            survey_id=case.survey_id,
            deprivations=deprivations,
            photos=photos,
            geofence_distance_m=view.geofence_distance_m,
            income=case.income,
            score=None if view.score is None else ScoreOut.from_detail(view.score, lang),
            comments=[CommentOut.model_validate(c) for c in view.comments],
            complaints=[ComplaintOut.model_validate(c) for c in view.complaints],
            posting_id=case.posting_id,
            office_posting_id=case.office_posting_id,
            certificate_number=case.certificate_number,
            certificate_kind=case.certificate_kind,
        )


class TransitionOut(BaseModel):
    from_state: str | None
    to_state: str
    action: str
    actor_id: int | None
    at: datetime
    detail: dict[str, Any]


class SurveyRef(BaseModel):
    survey_id: int
    received_at: datetime
    household_class: str | None
    current: bool


class CaseDetail(CaseOut):
    transitions: list[TransitionOut]
    surveys: list[SurveyRef]
