"""HTTP endpoints of survey submissions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from server.auth.dependencies import Reader, Surveyor
from server.auth.service import actor_of
from server.db import DbSession
from server.errors import language
from server.households import repository as households_repository
from server.households import service as households
from server.households.models import Classification
from server.ids import PathId
from server.surveys import service
from server.surveys.models import Submission
from server.surveys.schemas import SubmissionIn, SubmissionOut

router = APIRouter(tags=["surveys"])


def _out(
    submission: Submission,
    code: str,
    classification: Classification | None,
    warnings: list[dict[str, Any]],
    request: Request,
) -> SubmissionOut:
    result = (
        submission.result
        if classification is None
        else households.result_in(classification, language(request))
    )
    return SubmissionOut(
        id=submission.id,
        submission_id=submission.uuid,
        household_id=submission.household_id,
        household_code=code,
        form_id=submission.form_id,
        form_version=submission.form_version,
        year=int(str(submission.household_document["reference_date"])[:4]),
        household_class=result["class"],
        classification_id=None if classification is None else classification.id,
        received_at=submission.received_at,
        result=result,
        warnings=warnings,
    )


@router.post("/submissions", response_model=SubmissionOut, status_code=201)
def submit(
    body: SubmissionIn,
    principal: Surveyor,
    session: DbSession,
    request: Request,
    response: Response,
) -> SubmissionOut:
    """Submit a survey: it is checked against its form, the household is classified by the
    standard in force on the reference date, and everything is kept with the household's
    history. Resending the same ``submission_id`` answers 200 with the stored result."""
    received = service.submit(
        session,
        principal,
        actor_of(principal),
        service.survey_of(str(body.submission_id), body),
    )
    if received.replayed:
        response.status_code = 200
    return _out(
        received.submission,
        received.household.code,
        received.classification,
        received.warnings,
        request,
    )


@router.get("/submissions/{submission_id}", response_model=SubmissionOut)
def submission(
    submission_id: PathId, principal: Reader, session: DbSession, request: Request
) -> SubmissionOut:
    """One stored submission with its answers' result."""
    found = service.submission_for(session, principal, submission_id)
    household = households_repository.household(session, found.household_id)
    assert household is not None
    return _out(found, household.code, service.classification_of(session, found), [], request)
