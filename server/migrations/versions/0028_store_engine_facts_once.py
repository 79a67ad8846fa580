"""The engine's result is stored once, in no language (issue 17, item 6): each classification
keeps the engine's facts (``shared.engine.Classification.facts``: class, each indicator's status
and reason as a key with its arguments, income figures, what is missing, the standard) and the
text is rendered when read (``shared.reasons.render_result``). ``classifications.result`` held
the document twice, rendered in Vietnamese and in English, and ``surveys.result`` a third time in
Vietnamese: that column goes (a survey's result is its classification's).

A stored result becomes facts by classifying the survey's household document again under the
stored standard: kept only when it renders to exactly the stored documents. Any other result
(no survey behind it, or a standard's text changed since) keeps each reason as the two texts it
was rendered to, which ``render_result`` shows as they were.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from server.db import Json

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CLASSIFICATIONS = sa.table(
    "classifications",
    sa.column("id", sa.Integer()),
    sa.column("survey_id", sa.Integer()),
    sa.column("source", sa.String()),
    sa.column("result", Json),
)
_SURVEYS = sa.table(
    "surveys",
    sa.column("id", sa.Integer()),
    sa.column("household_document", Json),
    sa.column("result", Json),
)
_BATCH = 500


def _rows(connection: sa.Connection) -> Iterator[Sequence[Any]]:
    """Yield the classifications with their survey's household document, a batch at a time."""
    last = 0
    while True:
        batch = connection.execute(
            sa.select(
                _CLASSIFICATIONS.c.id,
                _CLASSIFICATIONS.c.result,
                _SURVEYS.c.household_document,
            )
            .select_from(_CLASSIFICATIONS)
            .outerjoin(_SURVEYS, _SURVEYS.c.id == _CLASSIFICATIONS.c.survey_id)
            .where(_CLASSIFICATIONS.c.id > last)
            .order_by(_CLASSIFICATIONS.c.id)
            .limit(_BATCH)
        ).all()
        if not batch:
            return
        yield batch
        last = batch[-1].id


def _as_texts(vi: dict[str, Any], en: dict[str, Any]) -> dict[str, Any]:
    """Return the stored documents as facts whose reasons are the texts they were."""
    facts = dict(vi)
    english = en.get("indicators", {})
    facts["indicators"] = {}
    for indicator, entry in vi.get("indicators", {}).items():
        kept = dict(entry)
        other = english.get(indicator, {}).get("reason", entry["reason"])
        kept["reason"] = {"vi": entry["reason"], "en": other}
        facts["indicators"][indicator] = kept
    return facts


def _facts(result: dict[str, Any], document: dict[str, Any] | None) -> dict[str, Any]:
    """Return the stored result (``{"vi", "en"}`` and perhaps ``decision``) as facts."""
    from shared.engine import classify, parse_household
    from shared.standards import load_catalog

    if "vi" not in result:
        return result  # only a decision: nothing was rendered
    vi, en = result["vi"], result.get("en", result["vi"])
    facts = None
    if document is not None and vi.get("standard"):
        try:
            again = classify(parse_household(document), standard=load_catalog().get(vi["standard"]))
        except (ValueError, KeyError):
            again = None
        if again is not None and again.to_dict("vi") == vi and again.to_dict("en") == en:
            facts = again.facts()
    if facts is None:
        facts = _as_texts(vi, en)
    if "decision" in result:
        facts["decision"] = result["decision"]
    return facts


def upgrade() -> None:
    connection = op.get_bind()
    for batch in _rows(connection):
        for row in batch:
            connection.execute(
                _CLASSIFICATIONS.update()
                .where(_CLASSIFICATIONS.c.id == row.id)
                .values(result=_facts(row.result, row.household_document))
            )
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.drop_column("result")


def _documents(facts: dict[str, Any]) -> dict[str, Any]:
    """Return facts as the two rendered documents the result was before (and the decision)."""
    from shared.reasons import render_result

    rendered = {key: value for key, value in facts.items() if key != "decision"}
    result: dict[str, Any] = {}
    if rendered:
        result = {"vi": render_result(rendered, "vi"), "en": render_result(rendered, "en")}
    if "decision" in facts:
        result["decision"] = facts["decision"]
    return result


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.add_column(sa.Column("result", Json, nullable=True))
    for batch in _rows(connection):
        for row in batch:
            documents = _documents(row.result)
            connection.execute(
                _CLASSIFICATIONS.update()
                .where(_CLASSIFICATIONS.c.id == row.id)
                .values(result=documents)
            )
    # A survey's result was its engine classification's, in Vietnamese.
    surveyed = connection.execute(
        sa.select(_CLASSIFICATIONS.c.survey_id, _CLASSIFICATIONS.c.result).where(
            _CLASSIFICATIONS.c.survey_id.is_not(None), _CLASSIFICATIONS.c.source == "survey"
        )
    ).all()
    for survey_id, result in surveyed:
        connection.execute(
            _SURVEYS.update().where(_SURVEYS.c.id == survey_id).values(result=result.get("vi", {}))
        )
    connection.execute(_SURVEYS.update().where(_SURVEYS.c.result.is_(None)).values(result={}))
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.alter_column("result", existing_type=Json, nullable=False)
