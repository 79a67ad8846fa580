"""Create the review round: rounds, cases with their transitions and reviewers' comments,
hamlet meetings and votes, postings, and complaints with their re-checks.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "review_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=24), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("posting_working_days", sa.Integer(), nullable=False),
        sa.Column("recheck_working_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decision_number", sa.String(length=40), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("recognised_by", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name=op.f("fk_review_rounds_commune_id_communes")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_review_rounds_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["recognised_by"], ["users.id"], name=op.f("fk_review_rounds_recognised_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_rounds")),
    )
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_rounds_commune_id"), ["commune_id"], unique=False
        )

    op.create_table(
        "review_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("chair_name", sa.String(length=120), nullable=False),
        sa.Column("secretary_name", sa.String(length=120), nullable=False),
        sa.Column("front_supervisor", sa.String(length=120), nullable=False),
        sa.Column("households_represented", sa.Integer(), nullable=False),
        sa.Column("others_present", sa.Integer(), nullable=False),
        sa.Column("minutes_photo_sha256", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_review_meetings_hamlet_id_hamlets")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_review_meetings_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_rounds.id"],
            name=op.f("fk_review_meetings_round_id_review_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_meetings")),
    )
    with op.batch_alter_table("review_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_meetings_round_id"), ["round_id"], unique=False)

    op.create_table(
        "review_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("posted_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_review_postings_hamlet_id_hamlets")
        ),
        sa.ForeignKeyConstraint(
            ["posted_by"], ["users.id"], name=op.f("fk_review_postings_posted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_rounds.id"],
            name=op.f("fk_review_postings_round_id_review_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_postings")),
    )
    with op.batch_alter_table("review_postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_postings_round_id"), ["round_id"], unique=False)

    op.create_table(
        "review_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("listed_because", sa.String(length=16), nullable=False),
        sa.Column("application", sa.String(length=16), nullable=True),
        sa.Column("previous_class", sa.String(length=16), nullable=True),
        sa.Column("engine_class", sa.String(length=16), nullable=True),
        sa.Column("final_class", sa.String(length=16), nullable=True),
        sa.Column("change", sa.String(length=24), nullable=True),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("classification_id", sa.Integer(), nullable=True),
        sa.Column("income", JSON, nullable=True),
        sa.Column("posting_id", sa.Integer(), nullable=True),
        sa.Column("certificate_number", sa.String(length=40), nullable=True),
        sa.Column("certificate_kind", sa.String(length=16), nullable=True),
        sa.Column("certificate_issued_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["classification_id"],
            ["classifications.id"],
            name=op.f("fk_review_cases_classification_id_classifications"),
        ),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_review_cases_hamlet_id_hamlets")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_review_cases_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["review_postings.id"],
            name=op.f("fk_review_cases_posting_id_review_postings"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["review_rounds.id"], name=op.f("fk_review_cases_round_id_review_rounds")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_review_cases_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cases")),
        sa.UniqueConstraint(
            "round_id", "household_id", name=op.f("uq_review_cases_round_id_household_id")
        ),
    )
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cases_hamlet_id"), ["hamlet_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_cases_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index("ix_review_cases_round_state", ["round_id", "state"], unique=False)

    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=120), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("return_no", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("addressed_by", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["addressed_by"],
            ["submissions.id"],
            name=op.f("fk_review_comments_addressed_by_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_review_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_cases.id"], name=op.f("fk_review_comments_case_id_review_cases")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_review_comments_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
    )
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_comments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "review_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("complainant", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recheck_due_on", sa.Date(), nullable=False),
        sa.Column("before_class", sa.String(length=16), nullable=True),
        sa.Column("outcome_class", sa.String(length=16), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("rechecked_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("rechecked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_cases.id"], name=op.f("fk_review_complaints_case_id_review_cases")
        ),
        sa.ForeignKeyConstraint(
            ["rechecked_by"], ["users.id"], name=op.f("fk_review_complaints_rechecked_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_review_complaints_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_complaints")),
    )
    with op.batch_alter_table("review_complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_complaints_case_id"), ["case_id"], unique=False)

    op.create_table(
        "review_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_review_transitions_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["review_cases.id"],
            name=op.f("fk_review_transitions_case_id_review_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_transitions")),
    )
    with op.batch_alter_table("review_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_transitions_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "review_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_cases.id"], name=op.f("fk_review_votes_case_id_review_cases")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["review_meetings.id"],
            name=op.f("fk_review_votes_meeting_id_review_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_votes")),
    )
    with op.batch_alter_table("review_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_votes_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_votes_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("review_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_votes_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_review_votes_case_id"))

    op.drop_table("review_votes")
    with op.batch_alter_table("review_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_transitions_case_id"))

    op.drop_table("review_transitions")
    with op.batch_alter_table("review_complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_complaints_case_id"))

    op.drop_table("review_complaints")
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_comments_case_id"))

    op.drop_table("review_comments")
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cases_round_state")
        batch_op.drop_index(batch_op.f("ix_review_cases_household_id"))
        batch_op.drop_index(batch_op.f("ix_review_cases_hamlet_id"))

    op.drop_table("review_cases")
    with op.batch_alter_table("review_postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_postings_round_id"))

    op.drop_table("review_postings")
    with op.batch_alter_table("review_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_meetings_round_id"))

    op.drop_table("review_meetings")
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_rounds_commune_id"))

    op.drop_table("review_rounds")
