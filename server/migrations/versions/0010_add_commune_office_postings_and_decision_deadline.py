"""Post at the commune office as a record of its own, and keep a round's decision deadline.

A posting gets a ``place`` (hamlet or commune_office; an office posting has no hamlet) and a
case the id of its office posting beside its hamlet posting. A round keeps the last day its
decision is due (monthly rounds) and, when it was taken later, why.

Rounds opened before this revision carry no deadline: it was not recorded then, and working
it out here would tie the migration to a holiday calendar that may be corrected later.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_postings", schema=None) as batch_op:
        # Existing postings were all made at a hamlet.
        batch_op.add_column(
            sa.Column("place", sa.String(length=16), nullable=False, server_default="hamlet")
        )
        batch_op.alter_column("hamlet_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(
            "place_hamlet", "(place = 'hamlet') = (hamlet_id IS NOT NULL)"
        )
    with op.batch_alter_table("review_postings", schema=None) as batch_op:
        batch_op.alter_column("place", existing_type=sa.String(length=16), server_default=None)

    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_posting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_review_cases_office_posting_id_review_postings"),
            "review_postings",
            ["office_posting_id"],
            ["id"],
        )

    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decision_late_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.drop_column("decision_late_reason")
        batch_op.drop_column("decision_due_on")

    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_cases_office_posting_id_review_postings"), type_="foreignkey"
        )
        batch_op.drop_column("office_posting_id")

    # The earlier schema cannot hold a posting without a hamlet.
    op.execute("DELETE FROM review_postings WHERE place = 'commune_office'")
    with op.batch_alter_table("review_postings", schema=None) as batch_op:
        batch_op.drop_constraint("place_hamlet", type_="check")
        batch_op.alter_column("hamlet_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("place")
