"""The hamlet meeting: its attendance, the vote on each case (at least half agree), and the photo
of the signed minutes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require_place
from server.geography import repository as geography
from server.photos.storage import FolderPhotoStore
from server.review import repository
from server.review.models import (
    Meeting,
    Vote,
)
from server.review.service.access import hamlet_of, holds_meeting, move_case, require_open
from shared.errors import ErrorCode, RasoatError
from shared.review.rules import (
    vote_passes,
)
from shared.review.states import Action, CaseState


@dataclass(frozen=True)
class Attendance:
    held_on: date
    chair_name: str
    secretary_name: str
    front_supervisor: str
    households_represented: int
    others_present: int


def record_meeting(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    hamlet_id: int,
    attendance: Attendance,
) -> Meeting:
    """Record a hamlet meeting of the round with its attendance."""
    round_ = repository.round_(session, round_id)
    if round_ is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"round {round_id}")
    hamlet = hamlet_of(session, hamlet_id)
    require_place(principal, Permission.RECORD_MEETINGS, geography.place_of(hamlet))
    require_open(round_)
    if hamlet.commune_id != round_.commune_id:
        raise RasoatError(ErrorCode.HAMLET_NOT_IN_COMMUNE)
    if not holds_meeting(round_):
        raise RasoatError(ErrorCode.NO_MEETING_IN_PROCEDURE, procedure=round_.procedure)
    if attendance.households_represented + attendance.others_present < 1:
        raise RasoatError(ErrorCode.NO_ATTENDEES)
    if not round_.starts_on <= attendance.held_on <= round_.ends_on:
        raise RasoatError(ErrorCode.MEETING_OUTSIDE_ROUND)
    meeting = Meeting(
        round_id=round_.id,
        hamlet_id=hamlet.id,
        held_on=attendance.held_on,
        chair_name=attendance.chair_name,
        secretary_name=attendance.secretary_name,
        front_supervisor=attendance.front_supervisor,
        households_represented=attendance.households_represented,
        others_present=attendance.others_present,
        recorded_by=actor.user_id,
    )
    repository.add(session, meeting)
    record(
        session,
        actor,
        "record_meeting",
        "review_meeting",
        meeting.id,
        after={"round_id": round_.id, "hamlet_id": hamlet.id, **attendance.__dict__},
    )
    return meeting


def meeting_for(
    session: Session, principal: Principal, permission: Permission, meeting_id: int
) -> Meeting:
    meeting = repository.meeting(session, meeting_id)
    if meeting is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"meeting {meeting_id}")
    hamlet = hamlet_of(session, meeting.hamlet_id)
    require_place(principal, permission, geography.place_of(hamlet))
    return meeting


def attendees(meeting: Meeting) -> int:
    """Return how many people attended: household representatives and others present."""
    return meeting.households_represented + meeting.others_present


def vote(
    session: Session,
    principal: Principal,
    actor: Actor,
    meeting_id: int,
    votes: list[tuple[int, int]],
) -> list[Vote]:
    """Record the meeting's vote on each (case id, agreeing attendees): at least half the
    attendees agreeing stands the result, otherwise the case goes back to review."""
    meeting = meeting_for(session, principal, Permission.RECORD_MEETINGS, meeting_id)
    round_ = repository.round_(session, meeting.round_id)
    assert round_ is not None
    require_open(round_)
    found = repository.cases_by_id(session, [case_id for case_id, _ in votes])
    rows = []
    for case_id, agree in votes:
        case = found.get(case_id)
        if case is None:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"case {case_id}")
        if case.round_id != meeting.round_id or case.hamlet_id != meeting.hamlet_id:
            raise RasoatError(ErrorCode.MEETING_REQUIRED, hamlet_id=case.hamlet_id)
        passed = vote_passes(agree, attendees(meeting))
        row = Vote(
            meeting_id=meeting.id,
            case_id=case.id,
            agree=agree,
            attendees=attendees(meeting),
            passed=passed,
        )
        repository.add(session, row)
        action = Action.VOTE_PASSED if passed else Action.VOTE_FAILED
        move_case(
            session,
            actor,
            case,
            round_,
            action,
            meeting_id=meeting.id,
            agree=agree,
            attendees=attendees(meeting),
        )
        rows.append(row)
    repository.announce(session, [found[case_id] for case_id, _ in votes])
    return rows


MINUTES_PHOTO_LIMIT = 5 * 1024 * 1024


def attach_minutes_photo(
    session: Session,
    principal: Principal,
    actor: Actor,
    meeting_id: int,
    photo: bytes,
    minutes_dir: Path,
) -> Meeting:
    """Store the JPEG photo of the signed minutes in ``minutes_dir`` under its SHA-256 and
    keep it on the meeting."""
    if not photo or len(photo) > MINUTES_PHOTO_LIMIT:
        raise RasoatError(ErrorCode.PHOTO_REQUIRED, limit=MINUTES_PHOTO_LIMIT)
    if not photo.startswith(b"\xff\xd8"):
        raise RasoatError(ErrorCode.NOT_A_JPEG)
    meeting = meeting_for(session, principal, Permission.RECORD_MEETINGS, meeting_id)
    sha256 = hashlib.sha256(photo).hexdigest()
    FolderPhotoStore(minutes_dir).write(sha256, 0, photo, len(photo))
    meeting.minutes_photo_sha256 = sha256
    session.flush()
    record(session, actor, "minutes_photo", "review_meeting", meeting.id, after={"sha256": sha256})
    return meeting


@dataclass(frozen=True)
class MeetingView:
    """A meeting with its attendance and each vote beside the state of its case now."""

    meeting: Meeting
    attendees: int
    votes: list[tuple[Vote, CaseState]]


def meeting_view(session: Session, meeting: Meeting) -> MeetingView:
    """Return the meeting as it is shown."""
    votes = repository.votes_of(session, meeting.id)
    cases = repository.cases_by_id(session, [v.case_id for v in votes])
    return MeetingView(
        meeting, attendees(meeting), [(v, CaseState(cases[v.case_id].state)) for v in votes]
    )
