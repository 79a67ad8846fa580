"""``POST /api/v1/classify``: the standard engine as a stateless service; and the Phiếu B1
score tables a round by score may choose (``GET /api/v1/score-tables``).

Classifying stores nothing and needs no sign-in, so a household can check its own status (the
self-check asked for in seed 004); the same documents and results as ``rasoat classify``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request

from server.auth.dependencies import Reader
from server.classification import service as score_tables
from server.classification.schemas import ScoreTableOut
from server.db import DbSession
from server.errors import language
from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.standards import load_catalog

router = APIRouter(tags=["classify"])

MAX_BATCH = 500

HouseholdDocument = dict[str, Any]


@router.post("/classify", response_model=dict[str, Any] | list[dict[str, Any]])
def classify_households(
    request: Request,
    body: Annotated[
        HouseholdDocument | list[HouseholdDocument],
        Body(description="A rasoat.household/1 document, or an array of them (at most 500)"),
    ],
    standard: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Standard id; by default the one in force on each "
            "household's reference_date",
        ),
    ] = None,
) -> dict[str, Any] | list[dict[str, Any]]:
    """Classify household documents; the result shape is that of ``rasoat classify``, with
    reasons in the language of Accept-Language."""
    chosen = load_catalog().get(standard) if standard else None
    documents = body if isinstance(body, list) else [body]
    if len(documents) > MAX_BATCH:
        raise RasoatError(ErrorCode.PAYLOAD_TOO_LARGE, limit=f"{MAX_BATCH} households")
    lang = language(request)
    results = [
        classify(parse_household(document), standard=chosen).to_dict(lang) for document in documents
    ]
    return results if isinstance(body, list) else results[0]


@router.get("/score-tables", response_model=list[ScoreTableOut])
def score_table_list(principal: Reader, session: DbSession) -> list[ScoreTableOut]:
    """The Phiếu B1 score tables a round by score may choose: the shipped example (invented
    points, ``example_only``) and the tables provinces loaded."""
    return [
        ScoreTableOut(
            id=info.code,
            title=info.title,
            example_only=info.example_only,
            shipped=info.shipped,
            province_code=info.province_code,
            form=info.form,
            loaded_at=info.loaded_at,
        )
        for info in score_tables.tables(session)
    ]
