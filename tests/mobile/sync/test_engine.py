"""The sync engine over a scripted server: backoff, resume, idempotent resends, renewal of an
expired session in the middle of a run, and a revoked tablet."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.online import ServerRefusedError, ServerSession
from mobile.sync.engine import (
    Progress,
    Retry,
    SyncEngine,
    SyncInterruptedError,
)
from mobile.sync.store import Store
from tests.mobile.sync.fake_server import FakeServer, busy, expired, unreachable


def _pass(_request: httpx.Request) -> None:
    return None


def engine(
    server: FakeServer, store: Store | None = None, **options: Any
) -> tuple[SyncEngine, list[float], list[dict[str, Any]]]:
    slept: list[float] = []
    saved: list[dict[str, Any]] = []
    tokens = {"access_token": server.access_token, "refresh_token": server.refresh_token}

    def save(fresh: dict[str, Any]) -> None:
        saved.append(fresh)
        tokens.update(fresh)

    http = server.client()
    sync = SyncEngine(
        http,
        store or Store(":memory:"),
        retry=options.pop("retry", Retry(attempts=4, base=0.5, cap=1.5)),
        sleep=slept.append,
        rng=random.Random(1),
        session=ServerSession(http, lambda: tokens, save),
        **options,
    )
    return sync, slept, saved


def test_transient_failures_back_off_with_jitter_under_the_cap() -> None:
    server = FakeServer(before=[unreachable, busy, unreachable])
    sync, slept, _ = engine(server)
    sync.store.queue_survey({"household_id": 1})
    assert sync.sync().pushed == 1
    assert len(slept) == 3
    for attempt, pause in enumerate(slept, start=1):
        assert 0 <= pause <= min(1.5, 0.5 * 2**attempt)


def test_after_the_last_try_the_run_stops_and_the_outbox_keeps_everything() -> None:
    server = FakeServer(before=[unreachable] * 4)
    sync, slept, _ = engine(server)
    record_id = sync.store.queue_survey({"household_id": 1})
    with pytest.raises(SyncInterruptedError):
        sync.sync()
    assert len(slept) == 3
    assert [r.id for r in sync.store.pending(10)] == [record_id]
    assert sync.sync().pushed == 1  # the next run resumes
    assert list(server.records) == [record_id]


def test_a_push_whose_answer_was_lost_is_sent_again_under_the_same_ids() -> None:
    server = FakeServer(cut_after={0})
    sync, _, _ = engine(server, retry=Retry(attempts=1))
    ids = [sync.store.queue_survey({"household_id": n}) for n in range(3)]
    with pytest.raises(SyncInterruptedError):
        sync.sync()
    assert len(server.records) == 3  # the server acted, the tablet never heard
    assert len(sync.store.pending(10)) == 3
    report = sync.sync()
    assert report.pushed == 3
    assert list(server.records) == ids
    assert all(r.state == "done" for r in sync.store.outbox())


def test_a_photo_upload_resumes_from_what_the_server_holds(tmp_path: Path) -> None:
    data = random.Random(3).randbytes(50_000)
    sha = hashlib.sha256(data).hexdigest()
    server = FakeServer()
    server.photos[sha] = bytearray(data[:20_000])  # an earlier run got this far
    seen: list[Progress] = []
    sync, _, _ = engine(server, chunk_size=16_384, progress=seen.append)
    sync.store.queue_photo(sha, tmp_path / "sealed", len(data), 7)
    sync.read_photo = lambda _photo: data
    assert sync.upload_photos() == 1
    puts = [r for r in server.requests if r.startswith("PUT")]
    assert len(puts) == 2  # 30,000 bytes left in 16 KiB chunks, not 4 from zero
    assert bytes(server.photos[sha]) == data
    assert seen[-1] == Progress("photos", 1, 1, len(data), len(data))
    assert sync.store.photos() == []


def test_a_photo_gone_from_the_tablet_does_not_block_the_rest(tmp_path: Path) -> None:
    server = FakeServer()
    sync, _, _ = engine(server)
    sync.store.queue_photo("a" * 64, tmp_path / "missing.jpg", 10, 7)
    assert sync.upload_photos() == 0
    assert sync.store.photos() == []


def test_an_access_token_expiring_mid_sync_is_renewed_and_the_run_goes_on() -> None:
    # push goes through, then the pull finds the access token expired
    server = FakeServer(before=[_pass, expired])
    sync, _, saved = engine(server)
    sync.store.queue_survey({"household_id": 1})
    server.pages = [[{"e": "hamlet", "k": "1", "v": 0, "d": {"name": "Thôn 1"}}]]
    report = sync.sync()
    assert (report.pushed, report.pulled) == (1, 1)
    assert server.requests == [
        "POST /api/v1/sync/push",
        "GET /api/v1/sync/pull",
        "POST /api/v1/auth/refresh",
        "GET /api/v1/sync/pull",
    ]
    assert [t["refresh_token"] for t in saved] == ["refresh-2"]  # kept before it is used
    assert sync.session is not None
    assert sync.session.tokens()["access_token"] == "access-2"


def test_a_spent_refresh_token_asks_for_an_online_sign_in() -> None:
    server = FakeServer(before=[expired])
    sync, _, _ = engine(server)
    server.refresh_token = "refresh-9"  # rotated by a request whose answer was lost
    with pytest.raises(ServerRefusedError) as refused:
        sync.sync()
    assert (refused.value.status, refused.value.error) == (401, "token_expired")


def test_a_revoked_tablet_gets_a_clear_refusal() -> None:
    server = FakeServer(revoked=True)
    sync, _, _ = engine(server)
    sync.store.queue_survey({"household_id": 1})
    with pytest.raises(ServerRefusedError) as refused:
        sync.sync()
    assert refused.value.error == "device_revoked"
    assert len(sync.store.pending(10)) == 1


def test_a_page_the_tablet_failed_to_keep_is_pulled_again() -> None:
    server = FakeServer()
    server.pages = [
        [{"e": "hamlet", "k": "1", "v": 0, "d": {"name": "Thôn 1"}}],
        [{"e": "household", "k": "5", "v": 3, "d": {"hamlet_id": 1, "code": "A"}}],
    ]
    kept: list[str] = []

    def receive(items: list[dict[str, Any]]) -> None:
        if items[0]["e"] == "household" and "failed once" not in kept:
            kept.append("failed once")
            raise OSError("disk full")
        kept.extend(i["e"] for i in items)

    sync, _, _ = engine(server, receive=receive)
    with pytest.raises(OSError, match="disk full"):
        sync.sync()
    assert sync.store.get("cursor") == "1"  # the first page stands, the second does not
    assert sync.sync().pulled == 1
    assert kept == ["hamlet", "failed once", "household"]
    assert sync.store.entity("household", "5") == ({"hamlet_id": 1, "code": "A"}, 3)


def test_a_batch_refused_whole_is_sent_again_in_halves_and_only_its_bad_record_is_refused() -> None:
    server = FakeServer()
    sync, _, _ = engine(server)
    ids = [sync.store.queue_survey({"household_id": n}) for n in range(5)]
    server.unreadable = {ids[3]}
    report = sync.sync()
    assert (report.pushed, report.refused) == (5, 1)
    assert sorted(server.records) == sorted(ids[:3] + ids[4:])
    states = {r.id: (r.state, (r.outcome or {}).get("error")) for r in sync.store.outbox()}
    assert states[ids[3]] == ("refused", "invalid_request")
    assert {states[i][0] for i in ids if i != ids[3]} == {"done"}
    pushes = server.requests.count("POST /api/v1/sync/push")
    assert sync.sync().pushed == 0  # a refusal is kept, never sent again
    assert server.requests.count("POST /api/v1/sync/push") == pushes


def test_a_photo_the_server_will_never_take_is_kept_refused_and_the_rest_go(
    tmp_path: Path,
) -> None:
    server = FakeServer()
    sync, _, _ = engine(server)
    shas = []
    for name in ("huge", "fine"):
        data = name.encode() * 100
        sha = hashlib.sha256(data).hexdigest()
        (tmp_path / name).write_bytes(data)
        sync.store.queue_photo(sha, tmp_path / name, len(data), 7)
        shas.append(sha)
    server.oversized = {shas[0]}
    report = sync.sync()
    assert (report.photos, report.photos_rejected) == (1, 1)
    assert {p.sha256: p.state for p in sync.store.photos(None)} == {
        shas[0]: "refused",
        shas[1]: "done",
    }
    puts = server.requests.count(f"PUT /api/v1/sync/photos/{shas[0]}")
    assert sync.sync().photos == 0
    assert server.requests.count(f"PUT /api/v1/sync/photos/{shas[0]}") == puts
