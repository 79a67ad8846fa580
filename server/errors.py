"""The HTTP face of the error catalog: one status per code, one JSON shape for every error."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import ErrorCode, Lang, RasoatError, render

log = logging.getLogger("rasoat.server")


class ErrorOut(BaseModel):
    """Every error the API answers."""

    error: ErrorCode
    message: str = Field(description="In the language of Accept-Language (vi or en)")
    detail: dict[str, Any]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorOut, "description": "A catalog error; see `error`"},
    "5XX": {"model": ErrorOut, "description": "internal_error (a bug; it is logged)"},
}

STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_HOUSEHOLD: 422,
    ErrorCode.INVALID_JSON: 400,
    ErrorCode.UNKNOWN_STANDARD: 422,
    ErrorCode.NO_STANDARD_IN_FORCE: 422,
    ErrorCode.INVALID_STANDARD: 422,
    ErrorCode.INVALID_SCORE_TABLE: 422,
    ErrorCode.SCORE_ITEM_MISSING: 422,
    ErrorCode.SCORE_TABLE_TAKEN: 409,
    ErrorCode.UNKNOWN_SCORE_TABLE: 422,
    ErrorCode.NO_SCORE_TABLE: 422,
    ErrorCode.UNKNOWN_REGION: 422,
    ErrorCode.NO_COMMUNE_REGION: 422,
    ErrorCode.SCORE_FOR_POOR_ONLY: 422,
    ErrorCode.NOT_BY_SCORE: 409,
    ErrorCode.SCORE_FORM_MISMATCH: 422,
    ErrorCode.INVALID_FORM: 422,
    ErrorCode.UNKNOWN_FORM: 422,
    ErrorCode.INVALID_ANSWERS: 422,
    ErrorCode.VALIDATION_FAILED: 422,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.ACCOUNT_LOCKED: 423,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.DEVICE_REVOKED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.OUT_OF_SCOPE: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.INVALID_REQUEST: 422,
    ErrorCode.ROUND_CLOSED: 409,
    ErrorCode.ROUND_DATES: 422,
    ErrorCode.LIST_YEAR: 422,
    ErrorCode.ALREADY_LISTED: 409,
    ErrorCode.CLASSIFIED_BY_SURVEY: 422,
    ErrorCode.NO_AVERAGE_CEILING: 422,
    ErrorCode.NOT_AVERAGE_LIVING: 422,
    ErrorCode.INCOME_TEST_NOT_MET: 422,
    ErrorCode.UNKNOWN_QUESTION: 422,
    ErrorCode.CORRECTIONS_REQUIRED: 422,
    ErrorCode.UNKNOWN_CLASS: 422,
    ErrorCode.HAMLET_NOT_IN_COMMUNE: 422,
    ErrorCode.NO_MEETING_IN_PROCEDURE: 422,
    ErrorCode.NO_ATTENDEES: 422,
    ErrorCode.MEETING_OUTSIDE_ROUND: 422,
    ErrorCode.NOTHING_TO_POST: 422,
    ErrorCode.NOTHING_TO_POST_AT_OFFICE: 422,
    ErrorCode.COMPLAINT_OUTSIDE_POSTING: 422,
    ErrorCode.RECHECK_BEFORE_COMPLAINT: 422,
    ErrorCode.DECISION_IN_FUTURE: 422,
    ErrorCode.CERTIFICATE_BEFORE_DECISION: 422,
    ErrorCode.PHOTO_REQUIRED: 422,
    ErrorCode.NOT_A_JPEG: 422,
    ErrorCode.IMPOSSIBLE_VOTE: 422,
    ErrorCode.IMPOSSIBLE_INCOME: 422,
    ErrorCode.INVALID_QUESTION_PATH: 422,
    ErrorCode.UNKNOWN_ORGANISATION: 422,
    ErrorCode.UNKNOWN_SKILLS: 422,
    ErrorCode.HOME_BASE_INCOMPLETE: 422,
    ErrorCode.ALREADY_OFFICER: 409,
    ErrorCode.NOT_A_HELPING_OFFICER: 422,
    ErrorCode.CAPACITY_BELOW_LOAD: 409,
    ErrorCode.TARGET_DATE_OUTSIDE_YEAR: 422,
    ErrorCode.ALREADY_REGISTERED: 409,
    ErrorCode.NOT_ON_LISTS: 422,
    ErrorCode.REGISTRATION_WITHDRAWN: 409,
    ErrorCode.FORM_UUID_TAKEN: 409,
    ErrorCode.ANSWERS_OTHER_HOUSEHOLD: 422,
    ErrorCode.OFFICER_INACTIVE: 422,
    ErrorCode.OFFICER_NOT_RESPONSIBLE: 422,
    ErrorCode.OVER_CAPACITY: 409,
    ErrorCode.DUPLICATE_EDIT: 422,
    ErrorCode.PROPOSAL_CLOSED: 409,
    ErrorCode.NOT_IN_PROPOSAL: 422,
    ErrorCode.UNKNOWN_FUNDING_SOURCE: 422,
    ErrorCode.ACTUAL_DATE_REQUIRED: 422,
    ErrorCode.HOUSEHOLD_CODE_TAKEN: 409,
    ErrorCode.DUPLICATE_MEMBER_NO: 422,
    ErrorCode.UNKNOWN_SERVICE_TARGET: 422,
    ErrorCode.TARGET_UNIT_NOT_ALLOWED: 422,
    ErrorCode.UNKNOWN_REPORT: 422,
    ErrorCode.UNKNOWN_COMMUNE_KIND: 422,
    ErrorCode.UNKNOWN_HAMLET_KIND: 422,
    ErrorCode.UNKNOWN_AREA: 422,
    ErrorCode.COMMUNE_CODE_TAKEN: 409,
    ErrorCode.HAMLET_CODE_TAKEN: 409,
    ErrorCode.NOT_A_FEATURE_COLLECTION: 422,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.INVALID_BOUNDARY: 422,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.INVALID_CURSOR: 422,
    ErrorCode.UPLOAD_OFFSET: 409,
    ErrorCode.PHOTO_MISMATCH: 422,
    ErrorCode.ILLEGAL_TRANSITION: 409,
    ErrorCode.MEETING_REQUIRED: 409,
    ErrorCode.POSTING_NOT_ENDED: 409,
    ErrorCode.ROUND_NOT_READY: 409,
    ErrorCode.ROUND_SIGNED_OFF: 409,
    ErrorCode.ROUND_NOT_SIGNED_OFF: 409,
    ErrorCode.REASON_REQUIRED: 422,
    ErrorCode.NO_CALENDAR: 422,
    ErrorCode.DECISION_OVERDUE: 409,
    ErrorCode.RECORD_ID_TAKEN: 409,
    ErrorCode.NUMBER_OUT_OF_RANGE: 422,
    ErrorCode.IMAGE_TOO_LARGE: 413,
    ErrorCode.INVALID_TEXT: 422,
    ErrorCode.ACCOUNT_DISABLED: 403,
    ErrorCode.IMPORT_UNREADABLE: 422,
    ErrorCode.IMPORT_COLUMNS_MISSING: 422,
    ErrorCode.IMPORT_MAPPING_INVALID: 422,
    ErrorCode.IMPORT_REFUSED: 422,
    ErrorCode.IMPORT_FILE_CHANGED: 409,
    ErrorCode.NO_OPEN_ROUND: 409,
    ErrorCode.TOO_MANY_REQUESTS: 429,
    ErrorCode.JOB_NOT_DONE: 409,
    # A job's own failure, read in its status, never an answer to a request.
    ErrorCode.JOB_ABANDONED: 503,
    ErrorCode.HAMLETS_OF_DIFFERENT_COMMUNES: 422,
    ErrorCode.HAMLET_RETIRED: 409,
    ErrorCode.HAMLET_NAME_TAKEN: 409,
    ErrorCode.MERGE_NEEDS_TWO_HAMLETS: 422,
}


def language(request: Request) -> Lang:
    """Return the caller's language from Accept-Language: English when preferred, else
    Vietnamese."""
    best: tuple[float, Lang] = (0.0, "vi")
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower()[:2]
        if lang not in ("vi", "en"):
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > best[0]:
            best = (quality, "vi" if lang == "vi" else "en")
    return best[1]


def error_response(request: Request, code: ErrorCode, detail: dict[str, Any]) -> JSONResponse:
    """Return the catalog's JSON answer for ``code``."""
    headers = {"WWW-Authenticate": "Bearer"} if STATUS[code] == 401 else None
    return JSONResponse(
        status_code=STATUS[code],
        content={
            "error": code.value,
            "message": render(code, detail, language(request)),
            "detail": detail,
        },
        headers=headers,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)


async def _on_rasoat_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RasoatError)
    return error_response(request, exc.code, _jsonable(exc.detail))


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    if first.get("type") == "json_invalid":
        return error_response(request, ErrorCode.INVALID_JSON, {"problem": str(first["msg"])})
    field = ".".join(str(part) for part in first.get("loc", ()))
    return error_response(
        request,
        ErrorCode.INVALID_REQUEST,
        {
            "problem": f"{field}: {first.get('msg', 'invalid')}",
            "field": field,
            "count": len(errors),
        },
    )


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_response(request, ErrorCode.NOT_FOUND, {"what": request.url.path})
    if exc.status_code == 405:
        return error_response(request, ErrorCode.METHOD_NOT_ALLOWED, {"method": request.method})
    if exc.status_code == 413:
        return error_response(request, ErrorCode.PAYLOAD_TOO_LARGE, {"limit": "?"})
    if exc.status_code in (401, 403):
        return error_response(request, ErrorCode.NOT_AUTHENTICATED, {})
    return error_response(request, ErrorCode.INVALID_REQUEST, {"problem": str(exc.detail)})


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # A request naming a record that does not exist, or repeating a unique value, that a
    # service did not catch first: bad input, so a 409, but logged to find the missing check.
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return error_response(
        request, ErrorCode.CONFLICT, {"problem": "the request conflicts with stored records"}
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, ErrorCode.INTERNAL_ERROR, {})


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error, expected or not, in the catalog's shape."""
    app.add_exception_handler(RasoatError, _on_rasoat_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(Exception, _on_unexpected)
