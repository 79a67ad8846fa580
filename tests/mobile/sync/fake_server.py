"""A small in-memory stand-in for the sync server behind ``httpx.MockTransport``: enough of the
protocol (push with idempotent ids, photos by offset, pull pages, token refresh) to test the
engine's backoff, resume and renewal without a network or Kivy. Faults are scripted per
request: ``cut`` drops the answer after the server acted (the tablet never hears back)."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Fault = Callable[[httpx.Request], httpx.Response | None]


@dataclass
class FakeServer:
    access_token: str = "access-1"
    refresh_token: str = "refresh-1"
    revoked: bool = False
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    photos: dict[str, bytearray] = field(default_factory=dict)
    pages: list[list[dict[str, Any]]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    # Before the server acts: answer this instead (or None to go on).
    before: list[Fault] = field(default_factory=list)
    # After the server acted: the answer is lost on the way back.
    cut_after: set[int] = field(default_factory=set)
    # Records the server cannot read: a batch holding one is refused whole (422).
    unreadable: set[str] = field(default_factory=set)
    # Photos the server will never take (413 image_too_large).
    oversized: set[str] = field(default_factory=set)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle), base_url="http://fake")

    def handle(self, request: httpx.Request) -> httpx.Response:
        number = len(self.requests)
        self.requests.append(f"{request.method} {request.url.path}")
        if self.before:
            early = self.before.pop(0)(request)
            if early is not None:
                return early
        response = self._act(request)
        if number in self.cut_after:
            raise httpx.ReadError("connection cut", request=request)
        return response

    def _act(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v1/auth/refresh":
            return self._refresh(request)
        if self.revoked:
            return _error(401, "device_revoked")
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return _error(401, "token_expired")
        if path == "/api/v1/sync/push":
            return self._push(request)
        if path.startswith("/api/v1/sync/photos/"):
            return self._photo(request, path.rsplit("/", 1)[1])
        if path == "/api/v1/sync/pull":
            return self._pull(request)
        return _error(404, "not_found")

    def _refresh(self, request: httpx.Request) -> httpx.Response:
        if self.revoked:
            return _error(401, "device_revoked")
        if json.loads(request.content)["refresh_token"] != self.refresh_token:
            return _error(401, "token_expired")
        number = int(self.refresh_token.rsplit("-", 1)[1]) + 1
        self.access_token, self.refresh_token = f"access-{number}", f"refresh-{number}"
        return httpx.Response(
            200,
            json={
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": 900,
                "token_type": "bearer",
                "device_id": 1,
            },
        )

    def _push(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(gzip.decompress(request.content))
        if any(record["id"] in self.unreadable for record in body["records"]):
            return _error(422, "invalid_request")
        outcomes = []
        for record in body["records"]:
            earlier = self.records.get(record["id"])
            if earlier is None:
                self.records[record["id"]] = record
                outcomes.append({"id": record["id"], "status": 201, "result": "applied"})
            else:
                outcomes.append(
                    {"id": record["id"], "status": 200, "result": "applied", "replayed": True}
                )
        return httpx.Response(200, json={"protocol": 1, "outcomes": outcomes})

    def _photo(self, request: httpx.Request, sha256: str) -> httpx.Response:
        held = self.photos.setdefault(sha256, bytearray())
        if request.method == "PUT" and sha256 in self.oversized:
            return _error(413, "image_too_large")
        if request.method == "PUT":
            offset = int(request.url.params["offset"])
            if offset > len(held):
                return _error(409, "upload_offset", {"received": len(held)})
            held[offset:] = request.content
        complete = hashlib.sha256(held).hexdigest() == sha256
        return httpx.Response(
            200, json={"sha256": sha256, "size": None, "received": len(held), "complete": complete}
        )

    def _pull(self, request: httpx.Request) -> httpx.Response:
        position = int(request.url.params.get("cursor") or 0)
        items = self.pages[position] if position < len(self.pages) else []
        more = position + 1 < len(self.pages)
        cursor = str(min(position + 1, len(self.pages)))
        return httpx.Response(
            200, json={"protocol": 1, "items": items, "cursor": cursor, "more": more}
        )


def _error(status: int, code: str, detail: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": code, "detail": detail or {}})


def unreachable(request: httpx.Request) -> httpx.Response:
    """A fault: the server cannot be reached."""
    raise httpx.ConnectError("no route to host", request=request)


def busy(_request: httpx.Request) -> httpx.Response:
    """A fault: the server is overloaded for a moment."""
    return _error(503, "unavailable")


def expired(_request: httpx.Request) -> httpx.Response:
    """A fault: the access token ran out in the middle of the run."""
    return _error(401, "token_expired")
