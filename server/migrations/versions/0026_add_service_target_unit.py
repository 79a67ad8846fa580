"""A commune's service-access target carries the unit it counts: households, persons ("khẩu")
or children (issue 20, "targets in the units the seeds use").

The rows stored before were counted in households (the near-poor's health insurance as "hộ cận
nghèo tham gia BHYT"), so they keep that unit; new targets default to seed 003's units
(server/reports/compute.py SERVICE_TITLES).

Revision ID: 0026
Revises: 0019
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_service_targets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unit", sa.String(16), nullable=False, server_default="households")
        )
    # The default only fills the rows already there; every new row names its unit.
    with op.batch_alter_table("report_service_targets", schema=None) as batch_op:
        batch_op.alter_column("unit", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("report_service_targets", schema=None) as batch_op:
        batch_op.drop_column("unit")
