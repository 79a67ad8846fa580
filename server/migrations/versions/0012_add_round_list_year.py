"""Say which year's list a review round makes.

The periodic review run from September makes the next year's list under the next year's
standard (the late-2026 review makes the 2027 list under vn-2027-2030); monthly and
application-based rounds amend the list of their own year. Existing rounds get that default.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("list_year", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE review_rounds SET list_year = "
        "CASE WHEN procedure = 'annual' THEN year + 1 ELSE year END"
    )
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.alter_column("list_year", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.drop_column("list_year")
