"""HTTP endpoints of surveys, and their deprecated paths of before the rename
(``/submissions``), which answer through the 2027 review season for the tablets installed
before it (docs/api.md, "Deprecated")."""

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
from server.surveys.models import Survey
from server.surveys.schemas import SubmissionOut, SurveyIn, SurveyOut

router = APIRouter(tags=["surveys"])


def _out(
    survey: Survey,
    code: str,
    classification: Classification,
    warnings: list[dict[str, Any]],
    request: Request,
) -> SurveyOut:
    result = households.result_in(classification, language(request))
    return SurveyOut(
        id=survey.id,
        survey_uuid=survey.uuid,
        household_id=survey.household_id,
        household_code=code,
        form_id=survey.form_id,
        form_version=survey.form_version,
        year=int(str(survey.household_document["reference_date"])[:4]),
        household_class=result["class"],
        classification_id=classification.id,
        received_at=survey.received_at,
        result=result,
        warnings=warnings,
    )


@router.post("/surveys", response_model=SurveyOut, status_code=201)
def submit(
    body: SurveyIn,
    principal: Surveyor,
    session: DbSession,
    request: Request,
    response: Response,
) -> SurveyOut:
    """Submit a survey: it is checked against its form, the household is classified by the
    standard in force on the reference date, and everything is kept with the household's
    history. Resending the same ``survey_uuid`` answers 200 with the stored result."""
    received = service.submit(
        session,
        principal,
        actor_of(principal),
        service.survey_of(str(body.survey_uuid), body),
        request.app.state.survey_standard,
    )
    if received.replayed:
        response.status_code = 200
    return _out(
        received.survey,
        received.household.code,
        received.classification,
        received.warnings,
        request,
    )


@router.get("/surveys/{survey_id}", response_model=SurveyOut)
def survey(survey_id: PathId, principal: Reader, session: DbSession, request: Request) -> SurveyOut:
    """One stored survey with its answers' result."""
    found = service.survey_for(session, principal, survey_id)
    household = households_repository.household(session, found.household_id)
    assert household is not None
    return _out(found, household.code, service.classification_of(session, found), [], request)


# When the deprecated paths stop answering (RFC 8594): after the 2027 review season.
SUNSET = "Sat, 01 Jan 2028 00:00:00 GMT"


def _deprecated(out: SurveyOut, response: Response) -> SubmissionOut:
    response.headers["Deprecation"] = "true"
    response.headers["Sunset"] = SUNSET
    response.headers["Link"] = '</api/v1/surveys>; rel="successor-version"'
    return SubmissionOut(**out.model_dump(), submission_id=out.survey_uuid)


@router.post("/submissions", response_model=SubmissionOut, status_code=201, deprecated=True)
def submit_deprecated(
    body: SurveyIn,
    principal: Surveyor,
    session: DbSession,
    request: Request,
    response: Response,
) -> SubmissionOut:
    """``POST /surveys`` under its path before the rename, for tablets installed before it."""
    return _deprecated(submit(body, principal, session, request, response), response)


@router.get("/submissions/{submission_id}", response_model=SubmissionOut, deprecated=True)
def submission_deprecated(
    submission_id: PathId,
    principal: Reader,
    session: DbSession,
    request: Request,
    response: Response,
) -> SubmissionOut:
    """``GET /surveys/{survey_id}`` under its path before the rename."""
    return _deprecated(survey(submission_id, principal, session, request), response)
