"""SQL of the review round."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from server.auth.policy import Scope
from server.changes.repository import add_changes
from server.geography.models import Hamlet
from server.geography.repository import hamlets_in_scope
from server.households.models import Classification, Household, HouseholdYear
from server.households.repository import standing_rows
from server.review.models import (
    Case,
    Comment,
    Complaint,
    Meeting,
    Posting,
    Round,
    Transition,
    Vote,
)
from server.surveys.models import GeofenceFlag, Survey
from shared.vocabulary import ON_LISTS

Row = Round | Case | Transition | Comment | Meeting | Vote | Posting | Complaint


def add(session: Session, row: Row | Classification | HouseholdYear) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()


def add_all(session: Session, rows: Sequence[Row]) -> None:
    session.add_all(rows)
    session.flush()


def round_(session: Session, round_id: int) -> Round | None:
    return session.get(Round, round_id)


def rounds_in(session: Session, scope: Scope) -> list[Round]:
    """Return the rounds of communes with a hamlet inside ``scope``, newest first."""
    communes = select(Hamlet.commune_id).where(Hamlet.id.in_(hamlets_in_scope(scope)))
    query = select(Round).where(Round.commune_id.in_(communes)).order_by(Round.id.desc())
    return list(session.scalars(query))


def case(session: Session, case_id: int, lock: bool = False) -> Case | None:
    query = select(Case).where(Case.id == case_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def cases(
    session: Session,
    scope: Scope,
    round_id: int | None = None,
    states: Iterable[str] | None = None,
    hamlet_id: int | None = None,
) -> list[Case]:
    """Return the cases of hamlets inside ``scope``, by hamlet and id."""
    query = select(Case).where(Case.hamlet_id.in_(hamlets_in_scope(scope)))
    if round_id is not None:
        query = query.where(Case.round_id == round_id)
    if states is not None:
        query = query.where(Case.state.in_(sorted(states)))
    if hamlet_id is not None:
        query = query.where(Case.hamlet_id == hamlet_id)
    return list(session.scalars(query.order_by(Case.hamlet_id, Case.id)))


def cases_of_round(session: Session, round_id: int, hamlet_id: int | None = None) -> list[Case]:
    query = select(Case).where(Case.round_id == round_id)
    if hamlet_id is not None:
        query = query.where(Case.hamlet_id == hamlet_id)
    return list(session.scalars(query.order_by(Case.hamlet_id, Case.id)))


def cases_by_id(session: Session, ids: Iterable[int]) -> dict[int, Case]:
    wanted = sorted(set(ids))
    return {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(wanted)))}


def case_of_household(session: Session, round_id: int, household_id: int) -> Case | None:
    return session.scalars(
        select(Case).where(Case.round_id == round_id, Case.household_id == household_id)
    ).first()


def open_round_of_household(session: Session, household_id: int, year: int) -> Round | None:
    """Return the newest open round of ``year`` with a case of the household, if any."""
    return session.scalars(
        select(Round)
        .join(Case, Case.round_id == Round.id)
        .where(Case.household_id == household_id, Round.year == year, Round.status == "open")
        .order_by(Round.starts_on.desc(), Round.id.desc())
    ).first()


def on_lists_before(session: Session, commune_id: int, year: int) -> list[tuple[int, int, str]]:
    """Return (household id, hamlet id, class) of the commune's households whose latest class
    before ``year`` is poor or near-poor."""
    last = standing_rows(year - 1, ON_LISTS)
    query = (
        select(Household.id, Household.hamlet_id, last.c.household_class)
        .join(last, last.c.household_id == Household.id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id == commune_id)
        .order_by(Household.hamlet_id, Household.id)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def surveys_after(
    session: Session, household_ids: Iterable[int], after_id: int
) -> dict[int, list[Survey]]:
    """Return the households' surveys with an id above ``after_id``, oldest first."""
    wanted = sorted(set(household_ids))
    found: dict[int, list[Survey]] = defaultdict(list)
    query = (
        select(Survey)
        .where(Survey.household_id.in_(wanted), Survey.id > after_id)
        .order_by(Survey.id)
    )
    for survey in session.scalars(query):
        found[survey.household_id].append(survey)
    return dict(found)


def surveys_of(session: Session, household_id: int) -> list[Survey]:
    query = select(Survey).where(Survey.household_id == household_id)
    return list(session.scalars(query.order_by(Survey.id)))


def survey(session: Session, survey_id: int) -> Survey | None:
    return session.get(Survey, survey_id)


def surveys_by_id(session: Session, ids: Iterable[int]) -> dict[int, Survey]:
    """Return the surveys by id; their answers and document (large JSON the queue's rows do
    not show) load only when read."""
    wanted = sorted(set(ids))
    query = (
        select(Survey)
        .where(Survey.id.in_(wanted))
        .options(
            defer(Survey.answers),
            defer(Survey.household_document),
        )
    )
    return {s.id: s for s in session.scalars(query)}


def classification_of(session: Session, survey_id: int) -> Classification | None:
    """Return the survey's own classification, not the one a round by score added from the
    same survey and its case's Phiếu B1 (source "score")."""
    query = select(Classification).where(
        Classification.survey_id == survey_id, Classification.source != "score"
    )
    return session.scalars(query.order_by(Classification.id.desc())).first()


def classifications_by_id(session: Session, ids: Iterable[int]) -> dict[int, Classification]:
    wanted = sorted(set(ids))
    query = select(Classification).where(Classification.id.in_(wanted))
    return {c.id: c for c in session.scalars(query)}


def geofence_flags(session: Session, survey_ids: Iterable[int]) -> dict[int, GeofenceFlag]:
    wanted = sorted(set(survey_ids))
    query = select(GeofenceFlag).where(GeofenceFlag.survey_id.in_(wanted))
    return {f.survey_id: f for f in session.scalars(query)}


def hamlets_of_commune(session: Session, commune_id: int) -> list[Hamlet]:
    query = select(Hamlet).where(Hamlet.commune_id == commune_id).order_by(Hamlet.code)
    return list(session.scalars(query))


def comments_of(session: Session, case_ids: Iterable[int]) -> dict[int, list[Comment]]:
    wanted = sorted(set(case_ids))
    found: dict[int, list[Comment]] = defaultdict(list)
    query = select(Comment).where(Comment.case_id.in_(wanted)).order_by(Comment.id)
    for comment in session.scalars(query):
        found[comment.case_id].append(comment)
    return dict(found)


def transitions_of(session: Session, case_id: int) -> list[Transition]:
    query = select(Transition).where(Transition.case_id == case_id).order_by(Transition.id)
    return list(session.scalars(query))


def meeting(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


def meetings_of(session: Session, round_id: int, hamlet_id: int | None = None) -> list[Meeting]:
    query = select(Meeting).where(Meeting.round_id == round_id)
    if hamlet_id is not None:
        query = query.where(Meeting.hamlet_id == hamlet_id)
    return list(session.scalars(query.order_by(Meeting.id)))


def votes_of(session: Session, meeting_id: int) -> list[Vote]:
    query = select(Vote).where(Vote.meeting_id == meeting_id).order_by(Vote.id)
    return list(session.scalars(query))


def posting(session: Session, posting_id: int) -> Posting | None:
    return session.get(Posting, posting_id)


def postings_of(session: Session, round_id: int) -> list[Posting]:
    query = select(Posting).where(Posting.round_id == round_id).order_by(Posting.id)
    return list(session.scalars(query))


def complaint(session: Session, complaint_id: int) -> Complaint | None:
    return session.get(Complaint, complaint_id)


def complaints_of(session: Session, case_ids: Iterable[int]) -> dict[int, list[Complaint]]:
    wanted = sorted(set(case_ids))
    found: dict[int, list[Complaint]] = defaultdict(list)
    query = select(Complaint).where(Complaint.case_id.in_(wanted)).order_by(Complaint.id)
    for complaint_row in session.scalars(query):
        found[complaint_row.case_id].append(complaint_row)
    return dict(found)


def certificates_issued(session: Session, year: int, commune_id: int) -> int:
    """Return how many certificates the commune issued for ``year``."""
    query = (
        select(func.count(Case.id))
        .join(Round, Round.id == Case.round_id)
        .where(
            Round.commune_id == commune_id,
            Round.year == year,
            Case.certificate_number.is_not(None),
        )
    )
    return session.scalar(query) or 0


def announce(session: Session, changed: Iterable[Case]) -> None:
    """Enter the cases in their hamlets' change sequence, so devices pull them."""
    add_changes(
        session.connection(),
        [
            {"entity": "review_case", "entity_key": str(c.id), "hamlet_id": c.hamlet_id}
            for c in changed
        ],
    )


def move_open_cases(session: Session, from_hamlet_ids: list[int], to_hamlet_id: int) -> int:
    """Move the cases of rounds still open from merged-away hamlets to the merged hamlet (its
    meeting reviews them) and announce them; closed rounds keep where they were held. Return
    how many moved."""
    query = (
        select(Case)
        .join(Round, Round.id == Case.round_id)
        .where(Case.hamlet_id.in_(sorted(from_hamlet_ids)), Round.status == "open")
    )
    moved = list(session.scalars(query))
    for case_ in moved:
        case_.hamlet_id = to_hamlet_id
    session.flush()
    announce(session, moved)
    return len(moved)
