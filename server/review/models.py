"""Tables of the review round. A case is one household in one round; every transition of a
case is a row of ``review_transitions`` (and an audit entry), never an overwrite."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Json, UtcDateTime, utcnow


class Round(Base):
    """A commune's review: annual, monthly, or an application-based procedure."""

    __tablename__ = "review_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(24))
    year: Mapped[int]
    # The year of the poor and near-poor lists the round makes, whose standard classifies its
    # surveys: the annual review run from September makes the next year's list.
    list_year: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    posting_working_days: Mapped[int]
    recheck_working_days: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="open")
    # Monthly rounds: the last day the chair may decide (Decision 24/2021/QĐ-TTg, Art. 5);
    # None where the procedure sets no deadline.
    decision_due_on: Mapped[date | None]
    # How the round knows poor and near-poor households' income (Circular 07/2021): "measured"
    # (the survey's recorded income) or "score" (Phiếu B1 scored with ``score_table``, the id of
    # a loaded or shipped table, in the commune's region and each hamlet's area).
    income_method: Mapped[str] = mapped_column(String(16), default="measured")
    score_table: Mapped[str | None] = mapped_column(String(64))
    decision_number: Mapped[str | None] = mapped_column(String(40))
    decision_date: Mapped[date | None]
    recognised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Why the decision came after ``decision_due_on``: it is taken late only with a reason.
    decision_late_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Case(Base):
    """A household under review in a round, where it stands and what class it comes to."""

    __tablename__ = "review_cases"
    __table_args__ = (
        UniqueConstraint("round_id", "household_id"),
        Index("ix_review_cases_round_state", "round_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    # poor / near_poor (on last year's lists) or applicant.
    listed_because: Mapped[str] = mapped_column(String(16))
    # form01 (to be reviewed or identified) or form04 (to be recognised as having exited).
    application: Mapped[str | None] = mapped_column(String(16))
    previous_class: Mapped[str | None] = mapped_column(String(16))
    engine_class: Mapped[str | None] = mapped_column(String(16))
    final_class: Mapped[str | None] = mapped_column(String(16))
    change: Mapped[str | None] = mapped_column(String(24))
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))
    classification_id: Mapped[int | None] = mapped_column(ForeignKey("classifications.id"))
    # Application-based procedures: the 12-month income, the members applying, the test.
    income: Mapped[dict[str, Any] | None] = mapped_column(Json)
    # Rounds by score: the Phiếu B1 answers ({"form", "version", "answers"}) the case is
    # scored with.
    score: Mapped[dict[str, Any] | None] = mapped_column(Json)
    # The case is posted twice: at its hamlet's cultural house and at the commune office.
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("review_postings.id"))
    office_posting_id: Mapped[int | None] = mapped_column(ForeignKey("review_postings.id"))
    certificate_number: Mapped[str | None] = mapped_column(String(40))
    certificate_kind: Mapped[str | None] = mapped_column(String(16))
    certificate_issued_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Transition(Base):
    __tablename__ = "review_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class Comment(Base):
    """A reviewer's note on one question of the case's survey, sent back with the case."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    question: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(String(1000))
    return_no: Mapped[int]
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))
    addressed_by: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Meeting(Base):
    """A hamlet meeting (họp dân) of a round with its attendance."""

    __tablename__ = "review_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id"), index=True)
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"))
    held_on: Mapped[date]
    chair_name: Mapped[str] = mapped_column(String(120))
    secretary_name: Mapped[str] = mapped_column(String(120), default="")
    front_supervisor: Mapped[str] = mapped_column(String(120))
    households_represented: Mapped[int]
    others_present: Mapped[int]
    minutes_photo_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Vote(Base):
    __tablename__ = "review_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meetings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    agree: Mapped[int]
    attendees: Mapped[int]
    passed: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Posting(Base):
    """A public posting (niêm yết) for the procedure's working days: a hamlet's results at
    its cultural house (``place`` hamlet), or the results already posted in the hamlets at
    the commune People's Committee office (``place`` commune_office, no hamlet)."""

    __tablename__ = "review_postings"
    __table_args__ = (
        CheckConstraint("(place = 'hamlet') = (hamlet_id IS NOT NULL)", name="place_hamlet"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id"), index=True)
    place: Mapped[str] = mapped_column(String(16), default="hamlet")
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Complaint(Base):
    """A complaint raised during posting, and the re-check (phúc tra) that answers it."""

    __tablename__ = "review_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    raised_on: Mapped[date]
    complainant: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    recheck_due_on: Mapped[date]
    before_class: Mapped[str | None] = mapped_column(String(16))
    outcome_class: Mapped[str | None] = mapped_column(String(16))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    rechecked_on: Mapped[date | None]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rechecked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SignOff(Base):
    """The province's sign-off of a round's figures: while it stands (``reopened_at`` is None)
    the round's cases and decision cannot change. Reopening closes the row rather than
    deleting it, so the history of sign-offs stays."""

    __tablename__ = "review_signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id"), index=True)
    signed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reopened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopen_reason: Mapped[str | None] = mapped_column(Text)
