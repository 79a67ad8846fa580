"""The province's sign-offs of a round's figures (issue 18, the console's province page).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reopened_by", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["review_rounds.id"],
            name=op.f("fk_review_signoffs_round_id_review_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["users.id"], name=op.f("fk_review_signoffs_signed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by"], ["users.id"], name=op.f("fk_review_signoffs_reopened_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_signoffs")),
    )
    op.create_index(
        op.f("ix_review_signoffs_round_id"), "review_signoffs", ["round_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_signoffs_round_id"), table_name="review_signoffs")
    op.drop_table("review_signoffs")
