"""One name for the filled survey: the table ``submissions`` becomes ``surveys``, and the
columns that point at it (``submission_id``, ``submission_uuid``) become ``survey_id`` and
``survey_uuid`` (issue 17, item 7). Constraint and index names follow, so the schema reads as
the models; rows and their ids are untouched.

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose ``submission_id`` refers to a survey, and whether it may be empty.
_REFERRING = (
    ("classifications", True),
    ("review_cases", True),
    ("review_comments", True),
    ("sync_geofence_flags", False),
)
# The survey table's own foreign keys: (column, referred table).
_OWN_KEYS = (("household_id", "households"), ("enumerator_id", "users"), ("device_id", "devices"))


def _rename(old: str, new: str) -> None:
    """Rename the survey table and every name that carries it, from ``old`` to ``new``
    (``submission``/``survey``); the same steps run both ways."""
    olds, news = f"{old}s", f"{new}s"
    op.rename_table(olds, news)
    if op.get_bind().dialect.name == "postgresql":
        # SQLite keeps neither a named primary key nor a sequence of its own.
        op.execute(f"ALTER TABLE {news} RENAME CONSTRAINT pk_{olds} TO pk_{news}")
        op.execute(f"ALTER SEQUENCE {olds}_id_seq RENAME TO {news}_id_seq")
    with op.batch_alter_table(news) as batch:
        batch.drop_constraint(f"uq_{olds}_uuid", type_="unique")
        batch.create_unique_constraint(f"uq_{news}_uuid", ["uuid"])
        batch.drop_index(f"ix_{olds}_household_id")
        batch.create_index(f"ix_{news}_household_id", ["household_id"])
        for column, referred in _OWN_KEYS:
            batch.drop_constraint(f"fk_{olds}_{column}_{referred}", type_="foreignkey")
            batch.create_foreign_key(f"fk_{news}_{column}_{referred}", referred, [column], ["id"])
    for table, nullable in _REFERRING:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_{old}_id_{olds}", type_="foreignkey")
            batch.alter_column(
                f"{old}_id",
                new_column_name=f"{new}_id",
                existing_type=sa.Integer(),
                existing_nullable=nullable,
            )
        # A key on a column renamed in the same batch is lost in SQLite's copy: a batch apart.
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(f"fk_{table}_{new}_id_{news}", news, [f"{new}_id"], ["id"])
    with op.batch_alter_table("review_comments") as batch:
        batch.drop_constraint(f"fk_review_comments_addressed_by_{olds}", type_="foreignkey")
        batch.create_foreign_key(
            f"fk_review_comments_addressed_by_{news}", news, ["addressed_by"], ["id"]
        )
    with op.batch_alter_table("support_registrations") as batch:
        batch.drop_constraint(f"uq_support_registrations_{old}_uuid", type_="unique")
        batch.alter_column(
            f"{old}_uuid",
            new_column_name=f"{new}_uuid",
            existing_type=sa.String(length=36),
            existing_nullable=True,
        )
    with op.batch_alter_table("support_registrations") as batch:
        batch.create_unique_constraint(f"uq_support_registrations_{new}_uuid", [f"{new}_uuid"])


def upgrade() -> None:
    _rename("submission", "survey")


def downgrade() -> None:
    _rename("survey", "submission")
