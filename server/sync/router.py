"""HTTP endpoints of sync: pull, push, photos, conflicts (protocol version 1, docs/sync.md)."""

from __future__ import annotations

import gzip
import zlib
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError
from starlette.requests import ClientDisconnect

from server.auth.dependencies import Photographer, Reader, SignedIn
from server.auth.service import actor_of
from server.db import DbSession
from server.ids import MAX_ID, PathId
from server.photos.storage import MAX_PHOTO_BYTES, PhotoStore, Stored, store_of
from server.sync import service
from server.sync.models import Conflict
from server.sync.ports import Domains
from server.sync.schemas import (
    ConflictOut,
    PhotoState,
    PullOut,
    PushBatch,
    PushIn,
    PushOut,
    ResolveIn,
)
from shared.errors import ErrorCode, RasoatError

router = APIRouter(prefix="/sync", tags=["sync"])

# Bodies worth compressing; below this gzip's header costs more than it saves.
_GZIP_FROM = 512


def _json(request: Request, content: bytes, status: int = 200) -> Response:
    """Return JSON, gzip-compressed when the client accepts it and it is worth it."""
    if len(content) >= _GZIP_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            gzip.compress(content, compresslevel=6, mtime=0),
            status,
            media_type="application/json",
            headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
        )
    return Response(content, status, media_type="application/json")


async def _raw_body(request: Request) -> bytes:
    try:
        return await request.body()
    except ClientDisconnect:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="the body was cut off") from None


async def _body(request: Request) -> bytes:
    """Return the request body, inflated when sent gzip-compressed (bounded like the body)."""
    raw = await _raw_body(request)
    if request.headers.get("content-encoding", "").lower() != "gzip":
        return raw
    limit: int = request.app.state.settings.max_body_bytes * 8
    inflater = zlib.decompressobj(wbits=31)
    try:
        body = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"bad gzip body ({exc})") from None
    if len(body) > limit:
        raise RasoatError(ErrorCode.PAYLOAD_TOO_LARGE, limit=f"{limit} bytes inflated")
    return body


def _domains(request: Request) -> Domains:
    """Return what the domains offer sync, composed when the app was built (server.feeds)."""
    domains: Domains = request.app.state.sync_domains
    return domains


def _store(request: Request) -> PhotoStore:
    return store_of(request.app.state)


@router.get("/pull", response_model=PullOut)
def pull(
    principal: Reader,
    session: DbSession,
    request: Request,
    cursor: Annotated[str | None, Query(max_length=4000)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> Response:
    """The next page of this device's working set after ``cursor`` (none: from the start).
    Keep pulling with the returned cursor while ``more`` is true."""
    items, next_cursor, more = service.pull(session, principal, _domains(request), cursor, limit)
    body = {
        "protocol": 1,
        "items": [item.model_dump() for item in items],
        "cursor": next_cursor,
        "more": more,
    }
    return _json(request, orjson.dumps(body))


async def _push_body(request: Request) -> list[service.Record | service.Unreadable]:
    """Return the pushed records, each read on its own: one the server cannot take is
    refused alone in its outcome, and the rest are stored."""
    body = await _body(request)
    try:
        batch = PushBatch.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            raise RasoatError(ErrorCode.INVALID_JSON, problem=first["msg"]) from None
        where = ".".join(str(p) for p in first["loc"])
        raise RasoatError(
            ErrorCode.INVALID_REQUEST,
            problem=f"{where}: {first['msg']}",
            field=where,
            count=len(exc.errors()),
        ) from None
    return [service.read_record(raw) for raw in batch.records]


PushBody = Annotated[list[service.Record | service.Unreadable], Depends(_push_body)]


@router.post(
    "/push",
    response_model=PushOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PushIn.model_json_schema()}},
        }
    },
)
def push(principal: SignedIn, records: PushBody, session: DbSession, request: Request) -> Response:
    """Apply a batch of records (``Content-Encoding: gzip`` accepted). Each record's outcome
    has its own status; pushing the same records again changes nothing. The token is checked
    before the body is read (dependencies resolve in order)."""
    outcomes = service.push(session, principal, actor_of(principal), _domains(request), records)
    content = orjson.dumps(
        {"protocol": 1, "outcomes": [o.model_dump(exclude_none=True) for o in outcomes]}
    )
    return _json(request, content)


def _state(sha256: str, stored: Stored, size: int | None) -> PhotoState:
    return PhotoState(
        sha256=sha256,
        size=stored.received if stored.complete else size,
        received=stored.received,
        complete=stored.complete,
    )


@router.get("/photos/{sha256}", response_model=PhotoState)
def photo(sha256: str, principal: Photographer, session: DbSession, request: Request) -> PhotoState:
    """How many bytes of the photo the server holds: continue an upload from there."""
    _check_sha(sha256)
    return _state(sha256, service.photo_state(session, _store(request), principal, sha256), None)


def _check_sha(sha256: str) -> None:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="a photo is named by its SHA-256")


Chunk = Annotated[bytes, Depends(_raw_body)]


@router.put("/photos/{sha256}", response_model=PhotoState)
def upload_photo_chunk(
    sha256: str,
    chunk: Chunk,
    principal: Photographer,
    session: DbSession,
    request: Request,
    household_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    offset: Annotated[int, Query(ge=0, le=MAX_PHOTO_BYTES)],
    size: Annotated[int, Query(ge=1, le=2**62)],
) -> PhotoState:
    """Add the body's bytes at ``offset`` of a photo of ``size`` bytes. A chunk past what
    the server holds answers ``upload_offset`` with ``received``; the last one is verified
    against the SHA-256 (``photo_mismatch``: send the photo again)."""
    _check_sha(sha256)
    stored = service.upload_photo(
        session, _store(request), principal, sha256, household_id, offset, size, chunk
    )
    return _state(sha256, stored, size)


@router.get("/photos/{sha256}/thumbnail", response_class=Response)
def photo_thumbnail(
    sha256: str, principal: Reader, session: DbSession, request: Request
) -> Response:
    """A small JPEG of the photo for lists."""
    _check_sha(sha256)
    thumbnail = service.thumbnail(session, _store(request), principal, sha256)
    return Response(thumbnail, media_type="image/jpeg")


def _conflict(conflict: Conflict) -> ConflictOut:
    return ConflictOut(
        id=conflict.id,
        household_id=conflict.household_id,
        hamlet_id=conflict.hamlet_id,
        record=conflict.record_uuid,
        device_id=conflict.device_id,
        status=conflict.status,
        fields=conflict.fields,
        resolution=conflict.resolution,
    )


@router.get("/conflicts", response_model=list[ConflictOut])
def conflicts(
    principal: Reader,
    session: DbSession,
    status: Annotated[str | None, Query(pattern="^(open|resolved)$")] = "open",
) -> list[ConflictOut]:
    """Overlapping edits of households in your scope, oldest first."""
    return [_conflict(c) for c in service.conflicts_for(session, principal, status)]


@router.post("/conflicts/{conflict_id}/resolve", response_model=ConflictOut)
def resolve_conflict(
    conflict_id: PathId, body: ResolveIn, principal: SignedIn, session: DbSession
) -> ConflictOut:
    """Settle a conflict (commune officers): keep the server's or the device's values, or
    give the values that stand."""
    settled = service.resolve(
        session, principal, actor_of(principal), conflict_id, body.keep, body.values
    )
    return _conflict(settled)
