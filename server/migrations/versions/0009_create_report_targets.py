"""Create the year-end targets: per commune, per hamlet, and basic-service access.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _who_and_when() -> list[sa.Column[object]]:
    return [
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "report_commune_targets",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("poor", sa.Integer(), nullable=True),
        sa.Column("near_poor", sa.Integer(), nullable=True),
        *_who_and_when(),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["communes.id"],
            name=op.f("fk_report_commune_targets_commune_id_communes"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_report_commune_targets_set_by_users")
        ),
        sa.PrimaryKeyConstraint("commune_id", "year", name=op.f("pk_report_commune_targets")),
    )
    op.create_table(
        "report_hamlet_targets",
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("poor", sa.Integer(), nullable=True),
        sa.Column("near_poor", sa.Integer(), nullable=True),
        *_who_and_when(),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_report_hamlet_targets_hamlet_id_hamlets")
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_report_hamlet_targets_set_by_users")
        ),
        sa.PrimaryKeyConstraint("hamlet_id", "year", name=op.f("pk_report_hamlet_targets")),
    )
    op.create_table(
        "report_service_targets",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("percent", sa.Double(), nullable=False),
        *_who_and_when(),
        sa.ForeignKeyConstraint(
            ["commune_id"],
            ["communes.id"],
            name=op.f("fk_report_service_targets_commune_id_communes"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_report_service_targets_set_by_users")
        ),
        sa.PrimaryKeyConstraint(
            "commune_id", "year", "key", name=op.f("pk_report_service_targets")
        ),
    )


def downgrade() -> None:
    op.drop_table("report_service_targets")
    op.drop_table("report_hamlet_targets")
    op.drop_table("report_commune_targets")
