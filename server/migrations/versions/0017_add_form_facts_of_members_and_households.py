"""Members and households carry the facts Decision 24/2021's forms and reports ask for.

Ethnicity, the citizen identity number's issue date and place, residences, activity, no labour
capacity, monthly social allowance and revolutionary merit per member; the review's special
groups and causes of poverty per household, which surveys collected and the registry dropped.
Every column is nullable: a household reviewed before this revision has them "not recorded".

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("national_id_issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("national_id_issued_by", sa.String(250), nullable=True))
        batch_op.add_column(sa.Column("ethnicity", sa.String(2), nullable=True))
        batch_op.add_column(sa.Column("permanent_residence", sa.String(250), nullable=True))
        batch_op.add_column(sa.Column("current_residence", sa.String(250), nullable=True))
        batch_op.add_column(sa.Column("activity", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("no_labour_capacity", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("monthly_social_allowance_vnd", sa.BigInteger(), nullable=True)
        )
        batch_op.add_column(sa.Column("revolutionary_merit", sa.Boolean(), nullable=True))
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(sa.Column("special_groups", _JSON, nullable=True))
        batch_op.add_column(sa.Column("poverty_causes", _JSON, nullable=True))
        batch_op.add_column(sa.Column("poverty_cause_other", sa.String(250), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        for column in ("poverty_cause_other", "poverty_causes", "special_groups"):
            batch_op.drop_column(column)
    with op.batch_alter_table("members", schema=None) as batch_op:
        for column in (
            "revolutionary_merit",
            "monthly_social_allowance_vnd",
            "no_labour_capacity",
            "activity",
            "current_residence",
            "permanent_residence",
            "ethnicity",
            "national_id_issued_by",
            "national_id_issued_on",
        ):
            batch_op.drop_column(column)
