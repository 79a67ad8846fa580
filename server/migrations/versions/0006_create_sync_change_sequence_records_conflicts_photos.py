"""Create the sync change sequence (seeded with every existing household), pushed records by
idempotency key, queued conflicts, received photos and geofence flags.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sync_changes",
        sa.Column("seq", SEQ, autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_key", sa.String(length=40), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_changes")),
    )
    op.create_index("ix_sync_changes_hamlet_seq", "sync_changes", ["hamlet_id", "seq"])
    op.create_index("ix_sync_changes_device_seq", "sync_changes", ["device_id", "seq"])
    op.create_index(
        "ix_sync_changes_entity_key_seq", "sync_changes", ["entity", "entity_key", "seq"]
    )
    op.create_table(
        "sync_records",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("outcome", JSON, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_sync_records_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_sync_records")),
    )
    op.create_index(op.f("ix_sync_records_device_id"), "sync_records", ["device_id"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("base_version", sa.BigInteger(), nullable=True),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", JSON, nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_sync_conflicts_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_sync_conflicts_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_sync_conflicts_resolved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_conflicts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index(op.f("ix_sync_conflicts_hamlet_id"), "sync_conflicts", ["hamlet_id"])
    op.create_index(op.f("ix_sync_conflicts_household_id"), "sync_conflicts", ["household_id"])
    op.create_index(op.f("ix_sync_conflicts_record_uuid"), "sync_conflicts", ["record_uuid"])
    op.create_table(
        "sync_photos",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_sync_photos_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_sync_photos_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_sync_photos")),
    )
    op.create_index(op.f("ix_sync_photos_household_id"), "sync_photos", ["household_id"])
    op.create_table(
        "sync_geofence_flags",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Double(), nullable=False),
        sa.Column("accuracy_m", sa.Double(), nullable=True),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_sync_geofence_flags_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_sync_geofence_flags")),
    )
    op.create_index(op.f("ix_sync_geofence_flags_hamlet_id"), "sync_geofence_flags", ["hamlet_id"])
    # Households registered before sync existed enter the sequence once, so a device's first
    # pull finds them.
    op.execute(
        "INSERT INTO sync_changes (entity, entity_key, hamlet_id) "
        "SELECT 'household', CAST(id AS VARCHAR(40)), hamlet_id FROM households ORDER BY id"
    )


def downgrade() -> None:
    op.drop_table("sync_geofence_flags")
    op.drop_table("sync_photos")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_records")
    op.drop_table("sync_changes")
