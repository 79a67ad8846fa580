"""Reading cases and rounds as they are shown: a case with what a reviewer needs beside it, the
queue, and a round's counts and postings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from server.auth.policy import Permission, Principal, require
from server.classification import service as score_tables
from server.geography import repository as geography
from server.geography.models import Hamlet
from server.households import repository as registry
from server.households.models import Classification, Household
from server.review import repository
from server.review.models import (
    Case,
    Comment,
    Complaint,
    Posting,
    Round,
    Transition,
)
from server.review.service.access import S, case_for, holds_meeting, round_for, standard_of
from server.review.service.decision import decision_overdue
from server.review.service.score import ScoreDetail, score_detail
from server.surveys.models import Survey
from shared.score_a import ScoreTable
from shared.standard import Standard


@dataclass
class CaseView:
    """A case with what a reviewer needs beside it."""

    case: Case
    round: Round
    household: Household
    hamlet: Hamlet
    survey: Survey | None
    classification: Classification | None
    comments: list[Comment] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    geofence_distance_m: float | None = None
    # Rounds by score: how the case's score adds up (None in a measured round).
    score: ScoreDetail | None = None

    @property
    def meeting(self) -> bool:
        """Whether the case's procedure holds a hamlet meeting (and so a vote)."""
        return holds_meeting(self.round)


def views(session: Session, cases: list[Case]) -> list[CaseView]:
    """Return each case with its household, hamlet, round, survey, classification, comments,
    complaints and geofence flag."""
    households = registry.households_by_id(session, [c.household_id for c in cases])
    hamlets = geography.hamlets_by_id(session, [c.hamlet_id for c in cases])
    survey_ids = [c.survey_id for c in cases if c.survey_id]
    surveys = repository.surveys_by_id(session, survey_ids)
    classifications = repository.classifications_by_id(
        session, [c.classification_id for c in cases if c.classification_id]
    )
    flags = repository.geofence_flags(session, survey_ids)
    comments = repository.comments_of(session, [c.id for c in cases])
    complaints = repository.complaints_of(session, [c.id for c in cases])
    rounds = {r: repository.round_(session, r) for r in {c.round_id for c in cases}}
    tables: dict[str, ScoreTable] = {}
    found = []
    for case in cases:
        flag = flags.get(case.survey_id or 0)
        round_ = rounds[case.round_id]
        assert round_ is not None
        classification = classifications.get(case.classification_id or 0)
        hamlet = hamlets[case.hamlet_id]
        found.append(
            CaseView(
                case=case,
                round=round_,
                household=households[case.household_id],
                hamlet=hamlet,
                survey=surveys.get(case.survey_id or 0),
                classification=classification,
                comments=comments.get(case.id, []),
                complaints=complaints.get(case.id, []),
                geofence_distance_m=None if flag is None else flag.distance_m,
                score=score_detail(
                    session,
                    case,
                    round_,
                    "urban" if hamlet.area == "urban" else "rural",
                    None if classification is None else classification.result,
                    tables,
                ),
            )
        )
    return found


QUEUE_STATES = (S.SURVEYED.value, S.RESURVEYED.value, S.UNDER_REVIEW.value)


def queue(
    session: Session,
    principal: Principal,
    round_id: int,
    states: Iterable[str] | None,
    hamlet_id: int | None,
) -> list[CaseView]:
    """Return the round's cases waiting for review (or in ``states``) inside the scope."""
    round_ = round_for(session, principal, Permission.READ_REGISTRY, round_id)
    chosen = QUEUE_STATES if states is None else tuple(states)
    return views(session, repository.cases(session, principal.scope, round_.id, chosen, hamlet_id))


def list_cases(
    session: Session,
    principal: Principal,
    round_id: int | None,
    states: Iterable[str] | None,
    hamlet_id: int | None,
) -> list[CaseView]:
    """Return the cases inside the principal's scope: an enumerator's returned cases, a
    hamlet head's cases to vote on."""
    require(principal, Permission.READ_REGISTRY)
    return views(session, repository.cases(session, principal.scope, round_id, states, hamlet_id))


@dataclass(frozen=True)
class SurveyOfCase:
    """A survey of the case's household: when it came and the class its classification gave."""

    id: int
    received_at: datetime
    household_class: str | None


def case_view(
    session: Session, principal: Principal, case_id: int
) -> tuple[CaseView, list[Transition], list[SurveyOfCase]]:
    """Return the case with its transitions and every survey of its household."""
    case, _ = case_for(session, principal, Permission.READ_REGISTRY, case_id)
    classes = {
        c.survey_id: c.household_class
        for c in registry.history(session, case.household_id)
        if c.survey_id is not None
    }
    return (
        views(session, [case])[0],
        repository.transitions_of(session, case.id),
        [
            SurveyOfCase(s.id, s.received_at, classes.get(s.id))
            for s in repository.surveys_of(session, case.household_id)
        ],
    )


def case_documents(session: Session, keys: list[str]) -> dict[int, dict[str, Any]]:
    """Return the pull item of each case: its round (with the year and standard of the list
    it makes), its state and the open comments on its survey."""
    cases = list(repository.cases_by_id(session, [int(k) for k in keys]).values())
    rounds = {r: repository.round_(session, r) for r in {c.round_id for c in cases}}
    comments = repository.comments_of(session, [c.id for c in cases])
    documents = {}
    for case in cases:
        round_ = rounds[case.round_id]
        assert round_ is not None
        documents[case.id] = {
            "hamlet_id": case.hamlet_id,
            "household_id": case.household_id,
            "round_id": case.round_id,
            "procedure": round_.procedure,
            "year": round_.year,
            # The tablet previews a survey of the case under the standard of the list the
            # round makes, as the server classifies it (standard_for_survey), while the round
            # is open.
            "list_year": round_.list_year,
            "standard": standard_of(round_).id,
            "round_status": round_.status,
            "state": case.state,
            "final_class": case.final_class,
            "overridden": case.overridden,
            "survey_id": case.survey_id,
            # Its name before the rename, read by tablets installed before it to find the
            # survey a returned case sends back; sent through the 2027 review season.
            "submission_id": case.survey_id,
            "comments": [
                {
                    "id": c.id,
                    "question": c.question,
                    "text": c.text,
                    "return_no": c.return_no,
                    "survey_id": c.survey_id,
                }
                for c in comments.get(case.id, [])
                if c.addressed_by is None
            ],
        }
    return documents


@dataclass(frozen=True)
class RoundView:
    """A round as it is shown: its list's standard, its cases per state, its postings with
    their cases, and whether its decision is overdue."""

    round: Round
    standard: Standard
    meeting: bool
    states: dict[str, int]
    postings: list[tuple[Posting, list[int]]]
    decision_overdue: bool
    score_table: ScoreTable | None = None


def round_view(session: Session, round_: Round, today: date) -> RoundView:
    """Return the round as it is shown ``today``."""
    cases = repository.cases_of_round(session, round_.id)
    return RoundView(
        round_,
        standard_of(round_),
        holds_meeting(round_),
        dict(sorted(Counter(c.state for c in cases).items())),
        [
            (p, [c.id for c in cases if p.id in (c.posting_id, c.office_posting_id)])
            for p in repository.postings_of(session, round_.id)
        ],
        decision_overdue(round_, today),
        None if round_.score_table is None else score_tables.table(session, round_.score_table),
    )
