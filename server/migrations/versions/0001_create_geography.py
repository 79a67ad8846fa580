"""Create provinces, communes (with legacy district and commune codes) and hamlets.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "provinces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provinces")),
        sa.UniqueConstraint("code", name=op.f("uq_provinces_code")),
    )
    op.create_table(
        "communes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("legacy_district_code", sa.String(length=16), nullable=True),
        sa.Column("legacy_district_name", sa.String(length=120), nullable=True),
        sa.Column("legacy_commune_code", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_communes_province_id_provinces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communes")),
        sa.UniqueConstraint("code", name=op.f("uq_communes_code")),
    )
    op.create_index(op.f("ix_communes_province_id"), "communes", ["province_id"])
    op.create_table(
        "hamlets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=False),
        sa.Column("boundary", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name=op.f("fk_hamlets_commune_id_communes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hamlets")),
        sa.UniqueConstraint("commune_id", "code", name=op.f("uq_hamlets_commune_id_code")),
    )
    op.create_index(op.f("ix_hamlets_commune_id"), "hamlets", ["commune_id"])


def downgrade() -> None:
    op.drop_table("hamlets")
    op.drop_table("communes")
    op.drop_table("provinces")
