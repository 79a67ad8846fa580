"""Create exiting poverty: helping officers, hamlet targets, exit registrations, proposals,
assignments, support plan actions and visits.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "support_exit_targets",
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_support_exit_targets_hamlet_id_hamlets")
        ),
        sa.PrimaryKeyConstraint("hamlet_id", "year", name=op.f("pk_support_exit_targets")),
    )
    op.create_table(
        "support_officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=24), nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("hamlet_ids", JSON, nullable=False),
        sa.Column("base_latitude", sa.Double(), nullable=True),
        sa.Column("base_longitude", sa.Double(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name=op.f("fk_support_officers_commune_id_communes")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_support_officers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_officers")),
        sa.UniqueConstraint("user_id", name=op.f("uq_support_officers_user_id")),
    )
    op.create_index(op.f("ix_support_officers_commune_id"), "support_officers", ["commune_id"])
    op.create_table(
        "support_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("weights", JSON, nullable=False),
        sa.Column("total_cost", sa.Double(), nullable=False),
        sa.Column("cost_terms", JSON, nullable=False),
        sa.Column("picks", JSON, nullable=False),
        sa.Column("unassigned", JSON, nullable=False),
        sa.Column("loads", JSON, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["communes.id"], name=op.f("fk_support_proposals_commune_id_communes")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_support_proposals_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_support_proposals_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_proposals")),
    )
    op.create_index(op.f("ix_support_proposals_commune_id"), "support_proposals", ["commune_id"])
    op.create_table(
        "support_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("hamlet_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starting_class", sa.String(length=16), nullable=False),
        sa.Column("causes", JSON, nullable=False),
        sa.Column("deprivations", JSON, nullable=False),
        sa.Column("needs", JSON, nullable=False),
        sa.Column("officers_needed", sa.Integer(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("submission_uuid", sa.String(length=36), nullable=True),
        sa.Column("answers", JSON, nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["users.id"], name=op.f("fk_support_registrations_confirmed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["hamlet_id"], ["hamlets.id"], name=op.f("fk_support_registrations_hamlet_id_hamlets")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_support_registrations_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by"],
            ["users.id"],
            name=op.f("fk_support_registrations_registered_by_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_registrations")),
        sa.UniqueConstraint(
            "household_id", "year", name=op.f("uq_support_registrations_household_id_year")
        ),
        sa.UniqueConstraint(
            "submission_uuid", name=op.f("uq_support_registrations_submission_uuid")
        ),
    )
    op.create_index(
        op.f("ix_support_registrations_hamlet_id"), "support_registrations", ["hamlet_id"]
    )
    op.create_index(
        op.f("ix_support_registrations_household_id"), "support_registrations", ["household_id"]
    )
    op.create_table(
        "support_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("explanation", JSON, nullable=True),
        sa.Column("reason", sa.String(length=250), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["users.id"], name=op.f("fk_support_assignments_assigned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["support_officers.id"],
            name=op.f("fk_support_assignments_officer_id_support_officers"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["support_proposals.id"],
            name=op.f("fk_support_assignments_proposal_id_support_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["support_registrations.id"],
            name=op.f("fk_support_assignments_registration_id_support_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_assignments")),
    )
    op.create_index(
        op.f("ix_support_assignments_officer_id"), "support_assignments", ["officer_id"]
    )
    op.create_index(
        op.f("ix_support_assignments_registration_id"), "support_assignments", ["registration_id"]
    )
    op.create_table(
        "support_plan_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=250), nullable=False),
        sa.Column("help_type", sa.String(length=32), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=24), nullable=True),
        sa.Column("funding_source", sa.String(length=32), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=True),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_support_plan_actions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["support_officers.id"],
            name=op.f("fk_support_plan_actions_officer_id_support_officers"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["support_registrations.id"],
            name=op.f("fk_support_plan_actions_registration_id_support_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_plan_actions")),
    )
    op.create_index(
        op.f("ix_support_plan_actions_registration_id"), "support_plan_actions", ["registration_id"]
    )
    op.create_table(
        "support_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("progress", sa.String(length=16), nullable=False),
        sa.Column("total_value_vnd", sa.BigInteger(), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("photos", JSON, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["support_officers.id"],
            name=op.f("fk_support_visits_officer_id_support_officers"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["support_registrations.id"],
            name=op.f("fk_support_visits_registration_id_support_registrations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_support_visits_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_visits")),
        sa.UniqueConstraint("uuid", name=op.f("uq_support_visits_uuid")),
    )
    op.create_index(
        op.f("ix_support_visits_registration_id"), "support_visits", ["registration_id"]
    )


def downgrade() -> None:
    op.drop_table("support_visits")
    op.drop_table("support_plan_actions")
    op.drop_table("support_assignments")
    op.drop_table("support_registrations")
    op.drop_table("support_proposals")
    op.drop_table("support_officers")
    op.drop_table("support_exit_targets")
