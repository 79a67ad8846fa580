"""Hamlets that merge (issue 20): hamlets keep their validity dates and what they were merged
into, each merge or rename is recorded, and households keep the hamlet of their earlier years.

Revision ID: 0024
Revises: 0019
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("hamlets") as batch:
        batch.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_hamlets_merged_into_id_hamlets"), "hamlets", ["merged_into_id"], ["id"]
        )
    op.create_table(
        "hamlet_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("parts", _JSON, nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name=op.f("fk_hamlet_changes_commune_id_communes")
        ),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_hamlet_changes_hamlet_id_hamlets")
        ),
        sa.ForeignKeyConstraint(
            ["made_by"], ["users.id"], name=op.f("fk_hamlet_changes_made_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hamlet_changes")),
    )
    op.create_index(op.f("ix_hamlet_changes_commune_id"), "hamlet_changes", ["commune_id"])
    op.create_index(op.f("ix_hamlet_changes_hamlet_id"), "hamlet_changes", ["hamlet_id"])
    op.create_table(
        "household_hamlet_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("from_hamlet_id", sa.Integer(), nullable=False),
        sa.Column("to_hamlet_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_household_hamlet_moves_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["from_hamlet_id"],
            ["hamlets.id"],
            name=op.f("fk_household_hamlet_moves_from_hamlet_id_hamlets"),
        ),
        sa.ForeignKeyConstraint(
            ["to_hamlet_id"],
            ["hamlets.id"],
            name=op.f("fk_household_hamlet_moves_to_hamlet_id_hamlets"),
        ),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["hamlet_changes.id"],
            name=op.f("fk_household_hamlet_moves_change_id_hamlet_changes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_hamlet_moves")),
    )
    op.create_index(
        "ix_household_hamlet_moves_household",
        "household_hamlet_moves",
        ["household_id", "effective_on"],
    )
    op.create_index(
        op.f("ix_household_hamlet_moves_change_id"), "household_hamlet_moves", ["change_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_household_hamlet_moves_change_id"), table_name="household_hamlet_moves")
    op.drop_index("ix_household_hamlet_moves_household", table_name="household_hamlet_moves")
    op.drop_table("household_hamlet_moves")
    op.drop_index(op.f("ix_hamlet_changes_hamlet_id"), table_name="hamlet_changes")
    op.drop_index(op.f("ix_hamlet_changes_commune_id"), table_name="hamlet_changes")
    op.drop_table("hamlet_changes")
    with op.batch_alter_table("hamlets") as batch:
        batch.drop_constraint(op.f("fk_hamlets_merged_into_id_hamlets"), type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_column("retired_on")
        batch.drop_column("valid_from")
