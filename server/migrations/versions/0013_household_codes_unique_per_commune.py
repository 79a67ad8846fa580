"""Household codes are unique per commune, not across the country.

A code taken in another commune answered 409 to a commune officer creating it in theirs, which
told them the code existed elsewhere. Households carry their hamlet's commune so the database
can hold the per-commune uniqueness itself.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE households SET commune_id = "
        "(SELECT hamlets.commune_id FROM hamlets WHERE hamlets.id = households.hamlet_id)"
    )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.alter_column("commune_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_households_commune_id_communes"), "communes", ["commune_id"], ["id"]
        )
        batch_op.drop_constraint(op.f("uq_households_code"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_households_commune_id_code"), ["commune_id", "code"]
        )
        batch_op.create_index(op.f("ix_households_code"), ["code"])


def downgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(op.f("ix_households_code"))
        batch_op.drop_constraint(op.f("uq_households_commune_id_code"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_households_code"), ["code"])
        batch_op.drop_constraint(op.f("fk_households_commune_id_communes"), type_="foreignkey")
        batch_op.drop_column("commune_id")
