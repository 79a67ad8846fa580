"""The tablet end to end: the real sign-in, form and preview presenters, the sealed store and
the sync engine (through the sync screen's port) against the real server app on a loopback
uvicorn port with a SQLite database. An enumerator signs in online, receives her hamlet, fills
a household survey offline and syncs; the server holds the class the tablet previewed and the
photos byte for byte. Then the connection is cut again and again mid-sync: nothing is lost or
doubled. Then the access token expires mid-sync, and the device is revoked."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bench.sync_faults import FaultProxy, Faults
from mobile.context import AppContext
from mobile.facades.camera import FakeCamera
from mobile.sync.bridge import EngineSync, sync_store
from mobile.sync.engine import Retry
from mobile.sync_port import Failure, Outcome, Phase, Progress
from server.auth.models import Device
from server.households.models import Classification, Household
from server.surveys.models import Survey
from server.sync.models import Photo, PushedRecord
from tests.contract.tablet_world import HAMLET, Served, fill_review, serve, signed_in_tablet


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serve(tmp_path) as found:
        yield found


@pytest.fixture
def tablet(served: Served, tmp_path: Path) -> Iterator[AppContext]:
    context = signed_in_tablet(tmp_path / "tablet", served.url)
    yield context
    context.http().close()


def _sync(port: EngineSync) -> tuple[Outcome, list[Progress]]:
    seen: list[Progress] = []
    return port.start(seen.append), seen


def test_a_review_filled_offline_reaches_the_server_with_the_previewed_class(
    served: Served, tablet: AppContext
) -> None:
    first, _ = _sync(EngineSync(tablet.data_dir, tablet.user_store().account, tablet.http()))
    assert first.ok, first
    store = tablet.user_store()
    assert [h.name for h in store.hamlets()] == [HAMLET]  # only her hamlet
    assert store.household_counts() == {store.hamlets()[0].hamlet_id: 40}

    survey_id, previewed, shas = fill_review(tablet, FakeCamera(), "VL-KP2-0017")
    assert previewed == "poor"
    assert len(shas) == 3
    outcome, progress = _sync(tablet.sync_port())  # type: ignore[arg-type]
    assert outcome.ok, outcome
    assert outcome.sent == 1 + len(shas)  # the survey and its photos
    assert outcome.rejected == 0
    assert {p.phase for p in progress} == set(Phase)
    photos = [p for p in progress if p.phase == Phase.SEND_PHOTOS]
    assert photos[-1].items_done == photos[-1].items_total == 3

    with served.sessions() as session:
        household = session.scalars(select(Household).where(Household.code == "VL-KP2-0017")).one()
        (held,) = session.scalars(select(Survey).where(Survey.household_id == household.id))
        held_class = session.scalars(
            select(Classification.household_class).where(Classification.survey_id == held.id)
        ).one()
        assert held_class == previewed
        assert {p["sha256"] for p in held.photos} == set(shas)
        assert set(session.scalars(select(Photo.sha256))) == set(shas)
    for sha in shas:
        assert hashlib.sha256(served.photos.path(sha).read_bytes()).hexdigest() == sha
    reviewed = store.survey(survey_id)
    assert reviewed is not None
    assert reviewed.state == "sent"
    pulled = store.household(household.id)
    assert pulled is not None
    assert pulled.household_class == previewed
    # Nothing personal lies in clear in the sync file.
    sync_file = (tablet.data_dir / f"sync-{store.account.user_id}.sqlite3").read_bytes()
    assert "Hoàng".encode() not in sync_file
    assert b"VL-KP2" not in sync_file


def test_syncs_cut_mid_way_lose_nothing_and_double_nothing(
    served: Served, tablet: AppContext
) -> None:
    account = tablet.user_store().account
    assert EngineSync(tablet.data_dir, account, tablet.http()).start(lambda _p: None).ok
    camera = FakeCamera()
    first = fill_review(tablet, camera, "VL-KP2-0003")
    second = fill_review(tablet, camera, "VL-KP2-0004")
    proxy = FaultProxy(served.address, Faults(cut=0.5, replay=0.3), seed=11)
    through = httpx.Client(
        base_url=f"http://127.0.0.1:{proxy.port}",
        timeout=10,
        limits=httpx.Limits(max_keepalive_connections=0),
    )
    # No retries within a run: every cut ends the run, and the next run resumes.
    port = EngineSync(tablet.data_dir, account, through, retry=Retry(attempts=1), chunk_size=16_384)
    failures = []
    for _ in range(60):
        outcome = port.start(lambda _p: None)
        if outcome.ok:
            break
        failures.append(outcome.failure)
    proxy.close()
    through.close()
    assert outcome.ok, failures
    assert failures
    assert set(failures) == {Failure.OFFLINE}
    assert proxy.stats.cuts > 0
    assert proxy.stats.replays > 0

    with served.sessions() as session:
        surveys = session.execute(
            select(Household.code, func.count())
            .join(Survey, Survey.household_id == Household.id)
            .group_by(Household.code)
        ).all()
        assert sorted(surveys) == [("VL-KP2-0003", 1), ("VL-KP2-0004", 1)]
        results: dict[str, str] = dict(
            session.execute(
                select(Household.code, Classification.household_class)
                .join(Survey, Survey.household_id == Household.id)
                .join(Classification, Classification.survey_id == Survey.id)
            ).all()
        )
        assert results == {"VL-KP2-0003": first[1], "VL-KP2-0004": second[1]}
        assert session.scalar(select(func.count()).select_from(PushedRecord)) == 2
        assert set(session.scalars(select(Photo.sha256))) == {*first[2], *second[2]}
    for sha in {*first[2], *second[2]}:
        assert hashlib.sha256(served.photos.path(sha).read_bytes()).hexdigest() == sha
    store = tablet.user_store()
    assert {r.state for r in store.surveys()} == {"sent"}
    outbox = sync_store(tablet.data_dir, account)
    assert [r.state for r in outbox.outbox()] == ["done", "done"]
    assert {p.state for p in outbox.photos(None)} == {"done"}
    outbox.close()


def test_an_expired_session_is_renewed_mid_sync_and_a_revoked_tablet_is_told(
    served: Served, tablet: AppContext
) -> None:
    account = tablet.user_store().account
    tokens = tablet.accounts.tokens(account)
    with served.sessions() as session:
        device = session.scalars(select(Device)).one()
        expired = served.security.access_token(
            device.user_id, device.id, datetime.now(UTC) - timedelta(hours=2)
        )
    tablet.accounts.save_tokens(account, {**tokens, "access_token": expired})
    port = EngineSync(tablet.data_dir, account, tablet.http())
    assert port.start(lambda _p: None).ok
    renewed = tablet.accounts.tokens(account)
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert renewed["access_token"] != expired
    _, _, shas = fill_review(tablet, FakeCamera(), "VL-KP2-0017")
    outcome = port.start(lambda _p: None)
    assert outcome.ok, outcome
    assert outcome.sent == 1 + len(shas)  # the survey and its photos

    revoked = tablet.http().post(
        f"/api/v1/devices/{device.id}/revoke",
        headers={"Authorization": f"Bearer {renewed['access_token']}"},
    )
    assert revoked.status_code == 200
    outcome = port.start(lambda _p: None)
    assert outcome.failure == Failure.DEVICE_REVOKED
