"""The sync engine: push the outbox, upload photos, pull the working set, over an injected
``httpx.Client`` (Starlette's TestClient is one). Any step may be cut off by the network; the
outbox and the cursor live in the tablet's SQLite, so the next run resumes where this stopped
and the server's idempotency makes every resend harmless.

With a ``ServerSession`` (``mobile.online``) the engine signs its requests and renews an
expired access token with the device-bound refresh token in the middle of a run, then goes
on."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from mobile.online import ServerRefusedError, ServerSession, json_body
from mobile.sync.store import OutboxRecord, QueuedPhoto, Store

API = "/api/v1/sync"
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
# Refusals of the whole session: the run stops, and the app asks the user to sign in again.
SESSION_STATUS = frozenset({401, 403})


@dataclass(frozen=True)
class Progress:
    """What the engine is doing, for the UI: phase (push, photos, pull, done), items and
    bytes done of the phase's total when known."""

    phase: str
    items_done: int
    items_total: int | None
    bytes_done: int
    bytes_total: int | None


@dataclass(frozen=True)
class Report:
    pushed: int
    refused: int
    conflicts: int
    photos: int
    pulled: int
    photos_refused: int = 0
    photos_rejected: int = 0


class SyncInterruptedError(Exception):
    """The server could not be reached (or kept failing) after every retry; nothing is lost:
    the next sync continues."""


def read_clear_file(photo: QueuedPhoto) -> bytes | None:
    """Return the queued photo's bytes from its file, None when the file is gone."""
    try:
        return photo.path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass
class Retry:
    """Exponential backoff with full jitter: ``base`` doubling up to ``cap`` seconds."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0, min(self.cap, self.base * 2**attempt))


class SyncEngine:
    def __init__(
        self,
        http: httpx.Client,
        store: Store,
        progress: Callable[[Progress], None] | None = None,
        retry: Retry | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        batch_size: int = 200,
        chunk_size: int = 256 * 1024,
        page_size: int = 500,
        session: ServerSession | None = None,
        read_photo: Callable[[QueuedPhoto], bytes | None] = read_clear_file,
        receive: Callable[[list[dict[str, Any]]], None] = lambda _items: None,
    ) -> None:
        """``read_photo`` gives a queued photo's bytes (the app decrypts its sealed files in
        memory); ``receive`` gets each pulled page before the cursor moves past it, so a page
        it failed to keep is pulled again."""
        self.http = http
        self.store = store
        self.progress = progress or (lambda _p: None)
        self.retry = retry or Retry()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.batch_size = batch_size
        self.chunk_size = chunk_size
        self.page_size = page_size
        self.session = session
        self.read_photo = read_photo
        self.receive = receive
        self.photos_refused = 0
        self.photos_rejected = 0

    def sync(self) -> Report:
        """Push structured records, then photos, then pull; return what happened. Raise
        SyncInterruptedError when the network gives out (run again later) or ServerRefusedError."""
        pushed, refused, conflicts = self.push()
        photos = self.upload_photos()
        pulled = self.pull()
        self.progress(Progress("done", 1, 1, 0, None))
        return Report(
            pushed, refused, conflicts, photos, pulled, self.photos_refused, self.photos_rejected
        )

    # -- HTTP with retries

    def _request(self, method: str, url: str, **options: Any) -> httpx.Response:
        """Send with retries, signed by the session when there is one."""
        if self.session is not None:
            return self.session.request(method, url, send=self._send, **options)
        return self._send(method, url, **options)

    def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        last: Exception | None = None
        for attempt in range(self.retry.attempts):
            if attempt:
                self.sleep(self.retry.delay(attempt, self.rng))
            try:
                response = self.http.request(method, url, **options)
            except httpx.TransportError as exc:
                last = exc
                continue
            if response.status_code in RETRYABLE_STATUS:
                last = ServerRefusedError(response.status_code, json_body(response))
                continue
            return response
        raise SyncInterruptedError(f"{method} {url}: {last}")

    def _ok(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise ServerRefusedError(response.status_code, json_body(response))
        body: dict[str, Any] = response.json()
        return body

    # -- push

    def push(self) -> tuple[int, int, int]:
        """Push the outbox in batches; return (records settled, refused, conflicts)."""
        total = len(self.store.pending(1_000_000))
        settled = refused = conflicts = 0
        sent_bytes = 0
        while True:
            batch = self.store.pending(self.batch_size)
            if not batch:
                break
            outcomes, size = self._push_batch(batch)
            self.store.settle(outcomes)
            settled += len(outcomes)
            refused += sum(1 for o in outcomes if o.get("result") == "refused")
            conflicts += sum(1 for o in outcomes if o.get("result") == "conflict")
            sent_bytes += size
            self.progress(Progress("push", settled, total, sent_bytes, None))
        return settled, refused, conflicts

    def _push_batch(self, batch: list[OutboxRecord]) -> tuple[list[dict[str, Any]], int]:
        """Return the outcomes of ``batch`` and the bytes sent. A batch the server refuses
        whole with a 4xx that is no refusal of the session (a body it cannot read) goes again
        half by half, so only the record it cannot take is refused: kept with the server's
        reason, never sent again, and the outbox moves on behind it."""
        payload = gzip.compress(
            json.dumps(
                {"protocol": 1, "records": [r.body for r in batch]},
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode(),
            mtime=0,
        )
        response = self._request(
            "POST",
            f"{API}/push",
            content=payload,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        if 400 <= response.status_code < 500 and response.status_code not in SESSION_STATUS:
            if len(batch) > 1:
                half = len(batch) // 2
                first, first_size = self._push_batch(batch[:half])
                rest, rest_size = self._push_batch(batch[half:])
                return first + rest, len(payload) + first_size + rest_size
            body = json_body(response)
            refusal = {
                "id": batch[0].id,
                "status": response.status_code,
                "result": "refused",
                "error": str(body.get("error", "unknown")),
                "message": str(body.get("message", "")),
                "detail": body.get("detail") or {},
            }
            return [refusal], len(payload)
        outcomes: list[dict[str, Any]] = self._ok(response)["outcomes"]
        return outcomes, len(payload)

    # -- photos

    def upload_photos(self) -> int:
        """Upload queued photos, each resumed from what the server holds; return how many
        finished. A photo the server forbids this user to send (403) stays queued for a later
        run (``photos_refused``); one it will never take (another 4xx: too large, not an
        image) is kept as refused and never sent again (``photos_rejected``). Either way the
        others go on: one refused photo must not stop the pull."""
        queued = self.store.photos()
        total_bytes = sum(p.size for p in queued)
        done_bytes = 0
        finished = 0
        self.photos_refused = 0
        self.photos_rejected = 0
        for index, photo in enumerate(queued):
            found = self.read_photo(photo)
            if found is None:
                # Deleted on the tablet (its survey discarded): nothing left to send.
                self.store.photo_sent(photo.sha256, 0, True)
                continue
            data = found
            if hashlib.sha256(data).hexdigest() != photo.sha256:
                raise ValueError(f"photo {photo.path} changed since it was queued")
            try:
                self._upload(photo, data, index, len(queued), done_bytes, total_bytes)
            except ServerRefusedError as refused:
                if refused.status == 403:
                    self.photos_refused += 1
                    continue
                if refused.status in SESSION_STATUS or refused.error == "photo_mismatch":
                    raise
                if not 400 <= refused.status < 500:
                    raise
                self.store.photo_refused(photo.sha256)
                self.photos_rejected += 1
                continue
            done_bytes += len(data)
            finished += 1
            self.progress(Progress("photos", index + 1, len(queued), done_bytes, total_bytes))
        return finished

    def _upload(
        self,
        photo: QueuedPhoto,
        data: bytes,
        index: int,
        count: int,
        done_bytes: int,
        total_bytes: int,
    ) -> None:
        """Send one photo from the offset the server holds; mark it sent when complete."""
        url = f"{API}/photos/{photo.sha256}"
        held = self._ok(self._request("GET", url))
        offset = int(held["received"])
        complete = bool(held["complete"])
        mismatches = 0
        while not complete:
            chunk = data[offset : offset + self.chunk_size]
            response = self._request(
                "PUT",
                url,
                content=chunk,
                params={
                    "household_id": photo.household_id,
                    "offset": offset,
                    "size": len(data),
                },
                headers={"Content-Type": "application/octet-stream"},
            )
            if response.status_code == 409 and json_body(response).get("error") == "upload_offset":
                offset = int(json_body(response)["detail"]["received"])
                continue
            if response.status_code == 422 and json_body(response).get("error") == "photo_mismatch":
                mismatches += 1
                if mismatches > 2:
                    raise ServerRefusedError(422, json_body(response))
                offset = 0
                continue
            state = self._ok(response)
            offset = int(state["received"])
            complete = bool(state["complete"])
            self.store.photo_sent(photo.sha256, offset, complete)
            self.progress(Progress("photos", index, count, done_bytes + offset, total_bytes))
        self.store.photo_sent(photo.sha256, len(data), True)

    # -- pull

    def pull(self) -> int:
        """Pull pages until the working set is current; return how many items arrived."""
        received = 0
        received_bytes = 0
        while True:
            params: dict[str, Any] = {"limit": self.page_size}
            cursor = self.store.get("cursor")
            if cursor:
                params["cursor"] = cursor
            response = self._request("GET", f"{API}/pull", params=params)
            if response.status_code == 422 and json_body(response).get("error") == "invalid_cursor":
                self.store.put("cursor", "")
                continue
            page = self._ok(response)
            self.receive(page["items"])
            self.store.apply(page["items"], page["cursor"])
            received += len(page["items"])
            received_bytes += response.num_bytes_downloaded
            self.progress(Progress("pull", received, None, received_bytes, None))
            if not page["more"]:
                return received
