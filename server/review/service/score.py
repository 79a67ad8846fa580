"""Income by score in a round (Circular 07/2021): a case's Phiếu B1 answers, scored with the
round's table in the commune's region and the hamlet's area, classify the household; the case
shows how its score adds up, item by item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.classification import service as score_tables
from server.geography import repository as geography
from server.households import repository as registry
from server.households import service as households
from server.households.models import Classification
from server.review import repository
from server.review.models import Case, Round
from server.review.service.access import S, case_for, require_open, standard_of
from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.forms.validate import check_answers
from shared.household import Area
from shared.review.procedures import IncomeMethod
from shared.score_a import REGION_NAMES, Region, ScoreTable, as_region
from shared.year_change import change_from_last_year

# A case's Phiếu B1 may be recorded or corrected until the commune accepts its class.
SCORABLE = {S.LISTED.value, S.SURVEYED.value, S.UNDER_REVIEW.value, S.RETURNED.value}
SCORABLE |= {S.RESURVEYED.value}


@dataclass(frozen=True)
class ScoreLine:
    item: str
    label: dict[str, str]
    points: int


@dataclass(frozen=True)
class ScoreDetail:
    """How a case's score adds up: the table (an example or the province's), the region and
    area its points were taken for, each line that counted, the total against the line and
    the class it gives; ``answered`` is False while the Phiếu B1 is not recorded."""

    table: str
    title: str
    example_only: bool
    region: Region | None
    area: Area
    answered: bool
    lines: list[ScoreLine]
    total: int | None
    line: int
    household_class: str | None

    @property
    def region_name(self) -> dict[str, str] | None:
        return None if self.region is None else REGION_NAMES[self.region]

    @property
    def at_or_below_line(self) -> bool | None:
        """Whether income is at or below the poverty line by score."""
        return None if self.total is None else self.total <= self.line


def _region(session: Session, round_: Round, table: ScoreTable) -> Region | None:
    """Return the commune's region when the table's points differ by region."""
    if not table.by_region:
        return None
    commune = geography.commune(session, round_.commune_id)
    assert commune is not None
    region = as_region(commune.region)
    if region is None:
        raise RasoatError(ErrorCode.NO_COMMUNE_REGION, commune=commune.name, table=table.id)
    return region


def by_score(round_: Round) -> bool:
    """Return True when the round estimates poor and near-poor income by score."""
    return round_.income_method == IncomeMethod.SCORE.value


def score_case(session: Session, actor: Actor, case: Case, round_: Round) -> Classification:
    """Classify the case's survey with its Phiếu B1 answers under the round's table (the
    income unknown, so the class undetermined, while no Phiếu B1 is recorded) and the round's
    standard; record the classification and make it the case's engine class."""
    assert case.survey_id is not None
    assert round_.score_table is not None
    survey = repository.survey(session, case.survey_id)
    assert survey is not None
    table = score_tables.table(session, round_.score_table)
    answers = None if case.score is None else case.score["answers"]
    household = parse_household(survey.household_document)
    result = classify(
        household,
        standard=standard_of(round_),
        income_estimator=table.for_region(_region(session, round_, table), answers),
    )
    registered = registry.households_by_id(session, [case.household_id])[case.household_id]
    classification = households.record_classification(
        session,
        actor,
        registered,
        result,
        household.reference_date.year,
        "score",
        survey.id,
    )
    earlier = registry.classes_before(session, [case.household_id], round_.year)
    case.classification_id = classification.id
    case.engine_class = classification.household_class
    final = case.final_class if case.overridden and case.final_class else case.engine_class
    case.final_class = final
    case.change = change_from_last_year(earlier.get(case.household_id, []), final).value
    return classification


def record_b1(
    session: Session,
    principal: Principal,
    actor: Actor,
    case_id: int,
    form_id: str,
    version: int,
    answers: dict[str, Any],
) -> Case:
    """Record the case's Phiếu B1 (checked against its form, which must be the one the
    round's table scores) and, once the case has its survey, classify it by score."""
    case, round_ = case_for(session, principal, Permission.SUBMIT_SURVEYS, case_id)
    require_open(round_)
    if not by_score(round_) or round_.score_table is None:
        raise RasoatError(ErrorCode.NOT_BY_SCORE, round_id=round_.id)
    if case.state not in SCORABLE:
        raise RasoatError(
            ErrorCode.ILLEGAL_TRANSITION, case_id=case.id, state=case.state, action="score_b1"
        )
    table = score_tables.table(session, round_.score_table)
    if table.form != f"{form_id}/{version}":
        raise RasoatError(
            ErrorCode.SCORE_FORM_MISMATCH,
            table=table.id,
            expected=table.form,
            given=f"{form_id}/{version}",
        )
    filled = check_answers(
        shipped().get(form_id, version),
        {"form": form_id, "version": version, "answers": answers, "meta": {}},
    )
    if filled.errors:
        raise RasoatError(
            ErrorCode.VALIDATION_FAILED,
            count=len(filled.errors),
            issues=[issue.to_dict() for issue in filled.errors],
        )
    before = case.score
    case.score = {"form": form_id, "version": version, "answers": filled.to_json()["answers"]}
    record(session, actor, "score_b1", "review_case", case.id, before=before, after=case.score)
    if case.survey_id is not None:
        score_case(session, actor, case, round_)
    repository.announce(session, [case])
    return case


def score_detail(
    session: Session,
    case: Case,
    round_: Round,
    area: Area,
    result: dict[str, Any] | None,
    tables: dict[str, ScoreTable],
) -> ScoreDetail | None:
    """Return how the case's score adds up from its classification's ``result`` (None for a
    measured round); ``tables`` caches the tables read for a list of cases."""
    if not by_score(round_) or round_.score_table is None:
        return None
    code = round_.score_table
    if code not in tables:
        tables[code] = score_tables.table(session, code)
    table = tables[code]
    region = _region(session, round_, table)
    scored = result is not None and result.get("score_a") is not None
    counted: dict[str, int] = dict(result.get("score_a_items", {})) if scored and result else {}
    return ScoreDetail(
        table=table.id,
        title=table.title,
        example_only=table.example_only,
        region=region,
        area=area,
        answered=case.score is not None,
        lines=[ScoreLine(*line) for line in table.points_of(counted, region, area)]
        if scored
        else [],
        total=result.get("score_a") if scored and result else None,
        line=table.line_for(area, standard_of(round_)),
        household_class=result.get("class") if scored and result else None,
    )
