"""The applications households send from the self-check page (/tu-danh-gia).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "selfcheck_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["review_cases.id"],
            name=op.f("fk_selfcheck_applications_case_id_review_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcheck_applications")),
        sa.UniqueConstraint("case_id", name=op.f("uq_selfcheck_applications_case_id")),
    )


def downgrade() -> None:
    op.drop_table("selfcheck_applications")
