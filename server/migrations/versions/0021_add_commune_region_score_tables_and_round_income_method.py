"""Income by score (Phiếu B1): each commune's socio-economic region, the score tables a
province loads, a round's income method and table, and a case's Phiếu B1 answers.

Existing rounds measured income, so they get "measured"; existing communes have no region
until it is set (a round by score with a table by region refuses them until then).

Revision ID: 0021
Revises: 0026 (chained after main's 0026 on merging main; issued as after 0019)
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=32), nullable=True))
    op.create_table(
        "score_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("province_code", sa.String(length=16), nullable=True),
        sa.Column("form", sa.String(length=80), nullable=True),
        sa.Column("example_only", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_tables")),
        sa.UniqueConstraint("code", name=op.f("uq_score_tables_code")),
    )
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "income_method", sa.String(length=16), nullable=False, server_default="measured"
            )
        )
        batch_op.add_column(sa.Column("score_table", sa.String(length=64), nullable=True))
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.drop_column("score")
    with op.batch_alter_table("review_rounds", schema=None) as batch_op:
        batch_op.drop_column("score_table")
        batch_op.drop_column("income_method")
    op.drop_table("score_tables")
    with op.batch_alter_table("communes", schema=None) as batch_op:
        batch_op.drop_column("region")
