"""Sync throughput and bytes: push households through HTTP (uvicorn on loopback) beside a raw
INSERT of the same rows in the same run, bytes on the wire per pushed household and for
pulling a 300-household hamlet, and photo size after reduction of a 12-megapixel source.

    python -m bench.sync [--quick] [--database-url postgresql+psycopg://postgres@127.0.0.1/db]

Without a URL it uses a fresh PostgreSQL database when 127.0.0.1:5432 answers, else SQLite.
Ends with one ``RESULT key=value …`` line.
"""

from __future__ import annotations

import argparse
import random
import socket
import tempfile
import time
import uuid
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any, cast

import httpx
from PIL import Image
from sqlalchemy import Table, delete, insert

from bench.sync_faults import live_server
from mobile.sync.engine import SyncEngine
from mobile.sync.photos import reduce_photo
from mobile.sync.store import Store


def _database(url: str) -> AbstractContextManager[str]:
    """The database given, else a scratch PostgreSQL database, else SQLite in a folder."""
    if url:
        return nullcontext(url)
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return nullcontext(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    from bench.scratch import scratch_database

    return scratch_database(None, prefix="rasoat_bench_sync")


def _households(rng: random.Random, count: int, hamlet_id: int, tag: str) -> list[dict[str, Any]]:
    from server.demo.names import full_name

    rows = []
    for index in range(count):
        members = []
        for number in range(1, 5):
            sex = rng.choice(("male", "female"))
            members.append(
                {
                    "member_no": str(number),
                    "full_name": full_name(rng, sex),
                    "birth_date": f"{rng.randint(1950, 2020)}-0{rng.randint(1, 9)}-1"
                    f"{rng.randint(0, 9)}",
                    "sex": sex,
                    "relation": "head" if number == 1 else "child",
                }
            )
        rows.append(
            {
                "hamlet_id": hamlet_id,
                "code": f"{tag}-{index:06d}",
                "head_name": members[0]["full_name"],
                "address": f"Xóm {index % 12}",
                "members": members,
            }
        )
    return rows


def _photo(folder: Path) -> tuple[int, int]:
    """Return (source bytes, reduced bytes) for a 12-megapixel camera-like JPEG."""
    rng = random.Random(1)
    small = Image.new("RGB", (400, 300))
    small.putdata(
        [
            (rng.randint(60, 200), rng.randint(60, 200), rng.randint(40, 160))
            for _ in range(400 * 300)
        ]
    )
    source = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    path = folder / "camera.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    source.save(path, "JPEG", quality=92, exif=exif.tobytes())
    reduced = reduce_photo(path, folder / "reduced")
    return path.stat().st_size, reduced.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--households", type=int, default=0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    count = args.households or (2000 if args.quick else 10_000)
    with _database(args.database_url) as url:
        _run(url, count)


def _run(url: str, count: int) -> None:
    from server.app import create_app
    from server.audit.service import SYSTEM
    from server.auth.policy import Role, Scope, ScopeKind
    from server.auth.security import Security
    from server.auth.service import create_user
    from server.db import make_engine, make_session_factory
    from server.geography.service import create_commune, create_hamlet, create_province
    from server.households.models import Household, Member
    from server.migrate import upgrade
    from server.settings import Settings
    from server.text import fold

    folder = Path(tempfile.mkdtemp(prefix="rasoat-bench-sync-"))
    upgrade(url)
    settings = Settings(demo=True, data_dir=folder, password_time_cost=1, password_memory_kib=64)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:6]
    with factory() as session:
        province = create_province(session, SYSTEM, f"B{tag}", "Tỉnh")
        commune = create_commune(session, SYSTEM, province, f"B{tag}", "Xã")
        raw_hamlet = create_hamlet(session, SYSTEM, commune, "RAW", "Raw", "thon", "rural")
        hamlet = create_hamlet(session, SYSTEM, commune, "T1", "Thôn", "thon", "rural")
        small = create_hamlet(session, SYSTEM, commune, "T2", "Thôn 300", "thon", "rural")
        security = Security(settings)
        create_user(
            session,
            security,
            SYSTEM,
            f"e{tag}",
            "E",
            "password-123",
            Role.ENUMERATOR,
            Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlet.id, small.id})),
        )
        create_user(
            session,
            security,
            SYSTEM,
            f"p{tag}",
            "P",
            "password-123",
            Role.ENUMERATOR,
            Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({small.id})),
        )
        session.commit()
        ids = (raw_hamlet.id, hamlet.id, small.id)
        commune_id = commune.id
    rng = random.Random(7)
    raw_rows = _households(rng, count, ids[0], f"R{tag}")
    pushed_rows = _households(rng, count, ids[1], f"H{tag}")
    small_rows = _households(rng, 300, ids[2], f"S{tag}")

    started = time.perf_counter()
    with engine.begin() as connection:
        household_ids = (
            connection.execute(
                insert(cast(Table, Household.__table__)).returning(
                    cast(Table, Household.__table__).c.id, sort_by_parameter_order=True
                ),
                [
                    {k: v for k, v in r.items() if k != "members"}
                    | {"names_folded": "", "commune_id": commune_id}
                    for r in raw_rows
                ],
            )
            .scalars()
            .all()
        )
        connection.execute(
            insert(cast(Table, Member.__table__)),
            [
                {
                    "household_id": hid,
                    "member_no": m["member_no"],
                    "position": p,
                    "full_name": m["full_name"],
                    "name_folded": fold(str(m["full_name"])),
                    "sex": m["sex"],
                    "relation": m["relation"],
                    "birth_date": date.fromisoformat(str(m["birth_date"])),
                }
                for hid, r in zip(household_ids, raw_rows, strict=True)
                for p, m in enumerate(cast(list[dict[str, Any]], r["members"]))
            ],
        )
    raw_seconds = time.perf_counter() - started

    app = create_app(settings, factory)
    with live_server(app) as (host, port):
        base = f"http://{host}:{port}"

        def device(user: str, name: str) -> httpx.Client:
            token = httpx.post(
                f"{base}/api/v1/auth/login",
                json={
                    "username": user,
                    "password": "password-123",
                    "device_id": name,
                },
            ).json()["access_token"]
            return httpx.Client(
                base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}
            )

        pusher = SyncEngine(device(f"e{tag}", f"bench-push-{tag}"), Store(folder / "t1.sqlite3"))
        for row in pushed_rows:
            pusher.store.create_household(**row)
        sent: list[int] = []
        pusher.http.event_hooks["request"] = [
            lambda r: sent.append(
                len(r.content) + sum(len(k) + len(v) + 4 for k, v in r.headers.raw) + 40
            )
        ]
        started = time.perf_counter()
        settled, refused, _ = pusher.push()
        push_seconds = time.perf_counter() - started
        assert settled == count, settled
        assert refused == 0, refused
        push_bytes = sum(sent)

        loader = SyncEngine(device(f"e{tag}", f"bench-load-{tag}"), Store(":memory:"))
        for row in small_rows:
            loader.store.create_household(**row)
        loader.push()
        puller = SyncEngine(device(f"p{tag}", f"bench-pull-{tag}"), Store(":memory:"))
        received: list[int] = []
        puller.http.event_hooks["response"] = [
            lambda r: received.append(len(r.read()) and r.num_bytes_downloaded)
        ]
        puller.pull()
        first_pull = sum(received)
        households_pulled = len(puller.store.entities("household"))
        received.clear()
        puller.pull()
        empty_pull = sum(received)
    source_bytes, photo_bytes = _photo(folder)
    raw_rate = count / raw_seconds
    push_rate = count / push_seconds
    print(
        f"database={engine.dialect.name} households={count} raw={raw_seconds:.2f}s "
        f"push={push_seconds:.2f}s pulled={households_pulled} source_photo={source_bytes}"
    )
    print(
        f"RESULT db={engine.dialect.name} households={count} push_per_s={push_rate:.0f} "
        f"raw_insert_per_s={raw_rate:.0f} push_vs_raw={push_rate / raw_rate:.2f} "
        f"push_bytes_per_household={push_bytes / count:.0f} "
        f"pull_300_household_hamlet_bytes={first_pull} empty_pull_bytes={empty_pull} "
        f"photo_bytes={photo_bytes}"
    )
    with engine.begin() as connection:
        connection.execute(
            delete(cast(Table, Member.__table__)).where(Member.household_id.in_(household_ids))
        )


if __name__ == "__main__":
    main()
