"""Fault injection for sync: a loopback proxy that cuts connections at random byte offsets,
delays, and replays whole connections, between real tablet sync engines and the real server
on a loopback port. Runs many randomly interrupted syncs of random work and compares the
server's state with the intended state.

    python -m bench.sync_faults [--quick] [--runs N] [--database-url URL]

Ends with ``RESULT runs=N lost=0 duplicated=0 conflicts_unexplained=0`` (or the counts found).
"""

from __future__ import annotations

import argparse
import random
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mobile.sync.engine import Retry, SyncEngine, SyncInterruptedError
from mobile.sync.store import Store


@dataclass
class Faults:
    """Chances per proxied connection."""

    cut: float = 0.35
    delay: float = 0.1
    replay: float = 0.15
    max_delay: float = 0.05


@dataclass
class ProxyStats:
    connections: int = 0
    cuts: int = 0
    replays: int = 0
    delays: int = 0


class FaultProxy:
    """A TCP proxy on 127.0.0.1 in front of ``upstream``; each connection may be cut after a
    random number of bytes in either direction, delayed, or replayed afterwards (the same
    request bytes sent again on a new connection, the answer thrown away)."""

    def __init__(self, upstream: tuple[str, int], faults: Faults, seed: int = 0) -> None:
        self.upstream = upstream
        self.faults = faults
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.stats = ProxyStats()
        self.enabled = True
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop = True
        self.listener.close()

    def _plan(self) -> dict[str, Any]:
        with self.lock:
            self.stats.connections += 1
            if not self.enabled:
                return {}
            r = self.rng
            plan: dict[str, Any] = {}
            if r.random() < self.faults.cut:
                plan["cut_direction"] = r.choice(("up", "down"))
                plan["cut_after"] = r.randint(0, 1500)
            if r.random() < self.faults.delay:
                plan["delay"] = r.uniform(0, self.faults.max_delay)
            if r.random() < self.faults.replay:
                plan["replay"] = True
            return plan

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, self._plan()), daemon=True).start()

    def _serve(self, client: socket.socket, plan: dict[str, Any]) -> None:
        try:
            upstream = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        sent_up = bytearray()
        cut = threading.Event()

        def pump(source: socket.socket, sink: socket.socket, direction: str) -> None:
            moved = 0
            try:
                while not cut.is_set():
                    data = source.recv(65536)
                    if not data:
                        break
                    if plan.get("cut_direction") == direction:
                        room = plan["cut_after"] - moved
                        if room <= len(data):
                            sink.sendall(data[: max(room, 0)])
                            with self.lock:
                                self.stats.cuts += 1
                            cut.set()
                            break
                    if direction == "up":
                        sent_up.extend(data)
                    elif "delay" in plan:
                        time.sleep(plan.pop("delay"))
                        with self.lock:
                            self.stats.delays += 1
                    sink.sendall(data)
                    moved += len(data)
            except OSError:
                pass
            finally:
                for end in (client, upstream):
                    with suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)

        down = threading.Thread(target=pump, args=(upstream, client, "down"), daemon=True)
        down.start()
        pump(client, upstream, "up")
        down.join(timeout=30)
        client.close()
        upstream.close()
        if plan.get("replay") and sent_up:
            self._replay(bytes(sent_up))

    def _replay(self, data: bytes) -> None:
        with self.lock:
            self.stats.replays += 1
        try:
            with socket.create_connection(self.upstream, timeout=10) as again:
                again.sendall(data)
                again.shutdown(socket.SHUT_WR)
                while again.recv(65536):
                    pass
        except OSError:
            pass


@contextmanager
def live_server(app: FastAPI) -> Iterator[tuple[str, int]]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yield (host, port)."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield ("127.0.0.1", port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sync_until_done(engine: SyncEngine, attempts: int = 50) -> int:
    """Run syncs until one completes; return how many were interrupted."""
    interrupted = 0
    for _ in range(attempts):
        try:
            engine.sync()
            return interrupted
        except SyncInterruptedError:
            interrupted += 1
    raise SyncInterruptedError(f"no sync completed in {attempts} attempts")


@dataclass
class Intent:
    """What the devices meant the server to hold."""

    created: dict[str, str] = field(default_factory=dict)  # code -> record id
    surveys: set[str] = field(default_factory=set)
    photos: set[str] = field(default_factory=set)
    # household id -> path -> set of devices that edited it
    edited_by: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    # record id -> (household id, {path: value})
    edits: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


def _jpeg(rng: random.Random) -> bytes:
    import io

    from PIL import Image

    image = Image.new(
        "RGB", (64 + rng.randint(0, 64), 48), tuple(rng.randint(0, 255) for _ in range(3))
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, comment=uuid.uuid4().bytes * 200)
    return buffer.getvalue()


def random_work(
    rng: random.Random,
    store: Store,
    device: str,
    hamlet_id: int,
    shared: list[int],
    intent: Intent,
    folder: Path,
    run: int,
) -> None:
    """Queue a few creates, edits of shared households and photos on one device."""
    import hashlib

    for index in range(rng.randint(0, 3)):
        code = f"F-{device}-{run}-{index}"
        record_id = store.create_household(
            hamlet_id,
            code,
            f"Chủ hộ {code}",
            members=[
                {"member_no": str(n), "full_name": f"Người {n}"}
                for n in range(1, rng.randint(2, 5))
            ],
        )
        intent.created[code] = record_id
    for _ in range(rng.randint(0, 2)):
        household_id = rng.choice(shared)
        if store.entity("household", str(household_id)) is None:
            continue
        path = rng.choice(("address", "head_name", "members/1/full_name"))
        value = f"{device}-{run}-{rng.randint(0, 9999)}"
        record_id = store.edit_household(household_id, {path: value})
        intent.edits[record_id] = (household_id, {path: value})
        intent.edited_by.setdefault(household_id, {}).setdefault(path, set()).add(device)
    if shared and rng.random() < 0.4:
        data = _jpeg(rng)
        sha = hashlib.sha256(data).hexdigest()
        photo = folder / f"{sha}.jpg"
        photo.write_bytes(data)
        store.queue_photo(sha, photo, len(data), rng.choice(shared))
        intent.photos.add(sha)


def check(session: Session, intent: Intent, photo_root: Path) -> dict[str, int]:
    """Compare the server with the intent: lost, duplicated, unexplained conflicts."""
    from server.households.models import Household, Member
    from server.sync.models import Conflict, Photo, PushedRecord

    lost = duplicated = unexplained = 0
    codes = dict(
        session.execute(
            select(Household.code, func.count())
            .where(Household.code.like("F-%"))
            .group_by(Household.code)
        ).all()
    )
    for code in intent.created:
        if codes.get(code, 0) == 0:
            lost += 1
        elif codes[code] > 1:
            duplicated += codes[code] - 1
    duplicated += len(set(codes) - set(intent.created))
    members = session.execute(
        select(Member.household_id, Member.member_no, func.count())
        .group_by(Member.household_id, Member.member_no)
        .having(func.count() > 1)
    ).all()
    duplicated += len(members)
    records = {r.uuid: r for r in session.scalars(select(PushedRecord))}
    for record_id in list(intent.created.values()) + list(intent.edits):
        if record_id not in records:
            lost += 1
    conflicts = {c.record_uuid: c for c in session.scalars(select(Conflict))}
    for record_id, (household_id, _changes) in intent.edits.items():
        record = records.get(record_id)
        if record is None:
            continue
        if record.outcome.get("result") == "conflict":
            conflict = conflicts.get(record_id)
            if conflict is None:
                lost += 1
                continue
            for path in conflict.fields:
                if len(intent.edited_by.get(household_id, {}).get(path, ())) < 2:
                    unexplained += 1
    stored = set(session.scalars(select(Photo.sha256)))
    for sha in intent.photos:
        if sha not in stored or not (photo_root / sha[:2] / f"{sha}.jpg").exists():
            lost += 1
    return {"lost": lost, "duplicated": duplicated, "conflicts_unexplained": unexplained}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, under a minute")
    parser.add_argument("--runs", type=int, default=0, help="interrupted syncs to reach")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    target = args.runs or (200 if args.quick else 1000)
    from server.app import create_app
    from server.audit.service import SYSTEM
    from server.auth.policy import Role, Scope, ScopeKind
    from server.auth.security import Security
    from server.auth.service import create_user
    from server.db import make_engine, make_session_factory
    from server.geography.service import create_commune, create_hamlet, create_province
    from server.households.service import MemberData, register_household
    from server.migrate import upgrade
    from server.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="rasoat-faults-"))
    url = args.database_url or f"sqlite:///{folder / 'server.sqlite3'}"
    upgrade(url)
    settings = Settings(
        demo=True, data_dir=folder / "data", password_time_cost=1, password_memory_kib=64
    )
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(args.seed)
    tag = uuid.uuid4().hex[:6]
    with factory() as session:
        province = create_province(session, SYSTEM, f"F{tag}", "Tỉnh")
        commune = create_commune(session, SYSTEM, province, f"F{tag}", "Xã")
        hamlet = create_hamlet(session, SYSTEM, commune, "T1", "Thôn Một", "thon", "rural")
        shared = [
            register_household(
                session,
                SYSTEM,
                hamlet,
                f"S{tag}-{i}",
                f"Hộ chung {i}",
                members=[MemberData("1", f"Người {i}")],
            ).id
            for i in range(5)
        ]
        security = Security(settings)
        devices = ["d1", "d2", "d3"]
        for device in devices:
            create_user(
                session,
                security,
                SYSTEM,
                f"{device}{tag}",
                device,
                "password-123",
                Role.ENUMERATOR,
                Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlet.id})),
            )
        session.commit()
        hamlet_id = hamlet.id
    app = create_app(settings, factory)
    intent = Intent()
    runs = interrupted = 0
    started = time.perf_counter()
    with live_server(app) as upstream:
        proxy = FaultProxy(upstream, Faults(), seed=args.seed)
        base = f"http://127.0.0.1:{proxy.port}"
        engines = {}
        for device in devices:
            token = httpx.post(
                f"http://{upstream[0]}:{upstream[1]}/api/v1/auth/login",
                json={
                    "username": f"{device}{tag}",
                    "password": "password-123",
                    "device_id": f"bench-{device}-{tag}",
                },
            ).json()["access_token"]
            # A new connection per request, so every request meets the proxy's dice.
            http = httpx.Client(
                base_url=base,
                timeout=10,
                headers={"Authorization": f"Bearer {token}"},
                limits=httpx.Limits(max_keepalive_connections=0),
            )
            engines[device] = SyncEngine(
                http,
                Store(folder / f"{device}.sqlite3"),
                retry=Retry(attempts=2, base=0.01, cap=0.05),
                rng=random.Random(device),
                chunk_size=4096,
            )
        round_ = 0
        while runs < target:
            round_ += 1
            for device, sync in engines.items():
                random_work(rng, sync.store, device, hamlet_id, shared, intent, folder, round_)
                failed = sync_until_done(sync)
                runs += 1 + failed
                interrupted += failed
        proxy.enabled = False
        for sync in engines.values():
            sync_until_done(sync)
        time.sleep(0.5)
        proxy.close()
    with factory() as session:
        found = check(session, intent, settings.data_dir / "photos")
    elapsed = time.perf_counter() - started
    print(
        f"proxy: {proxy.stats}; created={len(intent.created)} edits={len(intent.edits)} "
        f"photos={len(intent.photos)} in {elapsed:.1f}s"
    )
    print(
        f"RESULT runs={runs} interrupted={interrupted} cuts={proxy.stats.cuts} "
        f"replays={proxy.stats.replays} lost={found['lost']} duplicated={found['duplicated']} "
        f"conflicts_unexplained={found['conflicts_unexplained']}"
    )


if __name__ == "__main__":
    main()
