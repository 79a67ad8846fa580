"""What every request must satisfy before any route reads it: a bounded body, and no NUL.

The body is read here, counted as it arrives, so a chunked body without Content-Length is
refused with 413 like one that announces its size (reading it inside the route turned the
refusal into a 422). A NUL character is refused in the path, the query and any text body with
``invalid_text``: PostgreSQL cannot store it in a text column, and without this one check each
route would fail on it with a 500 at the database.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import error_response
from shared.errors import ErrorCode

# A JSON \u0000 escape: preceded by an even number of backslashes (an odd one escapes it).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_TEXT_TYPES = (
    b"application/json",
    b"text/",
    b"application/x-www-form-urlencoded",
    b"multipart/form-data",
)


_BOUNDARY = re.compile(rb'boundary="?([^";]+)"?', re.IGNORECASE)


def _without_files(body: bytes, content_type: bytes) -> bytes:
    """Return the text of a body: a multipart body without the contents of its files (an
    uploaded XLSX is a zip, full of NUL bytes, and its route reads it as bytes, never stores
    it as text); the fields and every part's headers stay. Any other body whole."""
    if not content_type.lower().startswith(b"multipart/form-data"):
        return body
    found = _BOUNDARY.search(content_type)
    if found is None:
        return body
    parts = body.split(b"--" + found.group(1))
    kept = []
    for part in parts:
        head, _, _content = part.partition(b"\r\n\r\n")
        kept.append(head if b"filename=" in head.lower() else part)
    return b"".join(kept)


class RequestGuard:
    """Refuse a body over ``limit`` bytes (413) and a NUL in a request's text (422), except in
    the bodies of ``per_record`` paths: a sync push refuses a record holding a NUL alone and
    stores the rest of its batch (``docs/sync.md``), so refusing the whole body here would
    keep the good records from the server."""

    def __init__(self, app: ASGIApp, limit: int, per_record: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.limit = limit
        self.per_record = per_record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send, ErrorCode.PAYLOAD_TOO_LARGE)
            return
        if "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(scope["query_string"]):
            await self._refuse(scope, send, ErrorCode.INVALID_TEXT, "NUL")
            return
        chunks: list[bytes] = []
        seen = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await self._refuse(scope, send, ErrorCode.PAYLOAD_TOO_LARGE)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        text = _without_files(body, headers.get(b"content-type", b""))
        if (
            scope["path"] not in self.per_record
            and _is_text(headers)
            and (b"\x00" in text or _JSON_NUL.search(text))
        ):
            await self._refuse(scope, send, ErrorCode.INVALID_TEXT, "NUL")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, code: ErrorCode, problem: str = "") -> None:
        detail = {"problem": problem} if problem else {"limit": f"{self.limit} bytes"}
        response = error_response(Request(scope), code, detail)
        await response(scope, _nothing, send)


def _is_text(headers: dict[bytes, bytes]) -> bool:
    """Return True for a body the app reads as text: JSON, forms and text, not compressed
    (a compressed push is checked once inflated); photos and other bytes pass."""
    if headers.get(b"content-encoding", b"identity").strip().lower() != b"identity":
        return False
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind.startswith(_TEXT_TYPES) or kind.endswith(b"+json")


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


# Every answer may carry personal data (names, ID numbers, classes): no cache keeps it unless
# a route says otherwise, no page frames it, no link to another site carries its address
# (the console returns to the page a form came from by its same-origin Referer).
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Add the security headers to every response, and ``Cache-Control: no-store`` where
    the route set no caching of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
