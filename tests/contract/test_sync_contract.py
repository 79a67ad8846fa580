"""The real tablet engine against the real server app: in-process (TestClient) and on a
loopback port (uvicorn in a thread), including a fault proxy that cuts pushes and photo
uploads mid-way."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.sync_faults import FaultProxy, Faults, live_server, sync_until_done
from mobile.sync.engine import Progress, Retry, SyncEngine
from mobile.sync.store import Store
from server.app import create_app
from server.auth.security import Security
from server.households.models import Household, Member
from server.settings import Settings
from server.sync.models import Photo, PushedRecord
from tests.server.conftest import PASSWORD, World, make_world


@pytest.fixture
def live(engine: Engine, settings: Settings, tmp_path: Path) -> tuple[FastAPI, World]:
    """A committed world in a fresh database, served by the real app."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        world = make_world(session, Security(settings))
    return create_app(settings.model_copy(update={"data_dir": tmp_path}), factory), world


def _token(http: httpx.Client, username: str, device: str) -> str:
    response = http.post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_id": device}
    )
    return str(response.json()["access_token"])


def _jpeg(seed: int, side: int = 300) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (side, side))
    image.putdata([(rng.randint(0, 255), 90, 120) for _ in range(side * side)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _work(store: Store, world: World, folder: Path, tag: str) -> list[str]:
    codes = [f"C-{tag}-{i}" for i in range(12)]
    for code in codes:
        store.create_household(
            world.hamlets["A"].id,
            code,
            f"Chủ hộ {code}",
            members=[{"member_no": "1", "full_name": "Người Một"}],
        )
    data = _jpeg(len(tag))
    sha = hashlib.sha256(data).hexdigest()
    (folder / f"{sha}.jpg").write_bytes(data)
    store.queue_photo(sha, folder / f"{sha}.jpg", len(data), world.households["A"].id)
    return codes


def _count(session: Session, codes: list[str]) -> int:
    return (
        session.scalar(select(func.count()).select_from(Household).where(Household.code.in_(codes)))
        or 0
    )


def test_engine_in_process_and_on_a_loopback_port_through_a_cutting_proxy(
    live: tuple[FastAPI, World], engine: Engine, tmp_path: Path
) -> None:
    app, world = live
    seen: list[Progress] = []
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {_token(client, 'enumerator', 'contract-1')}"
        local = SyncEngine(
            client, Store(tmp_path / "one.sqlite3"), progress=seen.append, chunk_size=8192
        )
        codes = _work(local.store, world, tmp_path, "inproc")
        report = local.sync()
        assert report.pushed == 12
        assert report.photos == 1
        assert {p.phase for p in seen} >= {"push", "photos", "pull", "done"}
        assert len(local.store.entities("household")) == 13
        assert local.sync().pulled == 0

    with live_server(app) as upstream:
        proxy = FaultProxy(upstream, Faults(cut=0.5, replay=0.3), seed=3)
        base = f"http://127.0.0.1:{proxy.port}"
        direct = httpx.Client(base_url=f"http://{upstream[0]}:{upstream[1]}")
        http = httpx.Client(
            base_url=base,
            timeout=10,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"Authorization": f"Bearer {_token(direct, 'enumerator', 'contract-2')}"},
        )
        remote = SyncEngine(
            http,
            Store(tmp_path / "two.sqlite3"),
            retry=Retry(attempts=2, base=0.01, cap=0.02),
            chunk_size=2048,
        )
        more = _work(remote.store, world, tmp_path, "proxied-run")
        interrupted = sync_until_done(remote)
        proxy.enabled = False
        sync_until_done(remote)
        proxy.close()
    assert proxy.stats.cuts > 0
    # Runs were cut off for good (past the engine's retries), and the next runs resumed.
    assert interrupted > 0
    with sessionmaker(bind=engine)() as session:
        assert _count(session, codes) == len(codes)
        assert _count(session, more) == len(more)
        assert session.scalar(select(func.count()).select_from(Photo)) == 2
        doubled = session.execute(
            select(Member.household_id)
            .group_by(Member.household_id, Member.member_no)
            .having(func.count() > 1)
        ).all()
        assert doubled == []
        records = {r.uuid for r in session.scalars(select(PushedRecord))}
    assert {r.id for r in remote.store.outbox()} <= records
    assert all(r.state == "done" for r in remote.store.outbox())
