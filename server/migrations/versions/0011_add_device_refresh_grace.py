"""Keep a device's retired refresh token for a grace period.

A refresh whose answer is lost on a weak link leaves the tablet holding the token the server
has just retired; the previous token's hash and when it was retired let the server accept it
once more within ``RASOAT_REFRESH_GRACE_SECONDS`` instead of forcing an online sign-in.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_refresh_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("refresh_rotated_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("refresh_rotated_at")
        batch_op.drop_column("previous_refresh_hash")
