"""Registry latencies on PostgreSQL: list, diacritic-free search and detail, through the API.

Loads N generated households (default 100,000, ~3.8 members each, a class for 2025) into a
fresh PostgreSQL database migrated by Alembic, then times, through the real FastAPI app (in
process, no network), signed in as a province viewer who sees every household:

- list: ``GET /api/v1/households``: one of the first 20 pages, a page deep in the list
  (OFFSET pagination pays for the rows it skips), and filtered by class and year;
- search: ``GET /api/v1/households?q=…`` with a member's name typed without diacritics;
- detail: ``GET /api/v1/households/{id}`` (members, class history, latest reasons);
- baselines in the same run: a primary-key SELECT through the same engine (the database's
  floor) and ``GET /health`` (the HTTP stack plus ``SELECT 1``).

Usage: python -m bench.registry [--quick] [--households N] [--samples N] [--database-url URL]
[--keep]. Without --database-url a database is created on 127.0.0.1:5432 (user postgres) and
dropped afterwards. The last line is ``RESULT key=value …``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson
import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import text

from bench.scratch import scratch_database, settle
from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.db import make_engine, make_session_factory
from server.demo.names import citizen_id, full_name
from server.demo.population import random_household
from server.geography.service import create_commune, create_hamlet, create_province
from server.migrate import upgrade
from server.settings import Settings
from server.text import fold
from shared.engine import classify, parse_household

PASSWORD = "bench-password"
YEAR = 2025
HOUSEHOLDS_PER_HAMLET = 250
HAMLETS_PER_COMMUNE = 32
CLASS_SHARES = (("poor", 0.03), ("near_poor", 0.03), ("average", 0.04), ("not_poor", 0.90))


def _copy(
    cursor: psycopg.Cursor[Any], table: str, columns: str, rows: list[tuple[Any, ...]]
) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(url: str, households: int, rng: random.Random) -> tuple[list[str], int]:
    """Create the geography, a province viewer and ``households`` households; return the
    folded member names to search for and the number of members."""
    factory = make_session_factory(make_engine(url))
    settings = Settings(demo=True, database_url=url, password_time_cost=1, password_memory_kib=64)
    hamlet_ids: list[tuple[int, str]] = []
    with factory() as session:
        province = create_province(session, SYSTEM, "38", "Thanh Hóa")
        communes = -(-households // (HOUSEHOLDS_PER_HAMLET * HAMLETS_PER_COMMUNE))
        for c in range(communes):
            commune = create_commune(session, SYSTEM, province, f"B{c:04d}", f"Xã {c}")
            for h in range(HAMLETS_PER_COMMUNE):
                area = "urban" if h % 4 == 0 else "rural"
                hamlet = create_hamlet(
                    session, SYSTEM, commune, f"T{h:02d}", f"Thôn {h}", "thon", area
                )
                hamlet_ids.append((hamlet.id, area))
        create_user(
            session,
            Security(settings),
            SYSTEM,
            "viewer",
            "Viewer",
            PASSWORD,
            Role.PROVINCE_VIEWER,
            Scope(ScopeKind.PROVINCE, province_id=province.id),
        )
        session.commit()

    # Real engine results, reused per class: the detail endpoint returns one.
    results: dict[str, list[dict[str, Any]]] = {}
    for cls, _ in CLASS_SHARES:
        sample = []
        for n in range(20):
            doc = random_household(rng, f"S{n}", date(YEAR, 11, 1), "rural", cls)
            result = classify(parse_household(doc))
            sample.append(result.facts())
        results[cls] = sample
    classes = [cls for cls, _ in CLASS_SHARES]
    weights = [share for _, share in CLASS_SHARES]

    household_rows, member_rows, class_rows, year_rows = [], [], [], []
    searchable: list[str] = []
    now = "2025-11-15 08:00:00+00"
    member_id = 0
    for number in range(1, households + 1):
        hamlet_id, area = hamlet_ids[(number - 1) // HOUSEHOLDS_PER_HAMLET % len(hamlet_ids)]
        size = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6))
        family = None
        names = []
        for position in range(size):
            sex = "male" if (position == 0) == (rng.random() < 0.78) else "female"
            name = full_name(rng, sex, family)
            family = family or name.split()[0]
            born = date(rng.randint(1940, 2022), rng.randint(1, 12), rng.randint(1, 28))
            member_id += 1
            folded = fold(name)
            names.append(folded)
            member_rows.append(
                (
                    member_id,
                    number,
                    str(position + 1),
                    position,
                    name,
                    folded,
                    born,
                    sex,
                    "head" if position == 0 else "other",
                    citizen_id(rng, "38", sex, born) if born.year < 2010 else None,
                )
            )
        if number % 97 == 0:
            searchable.append(names[0])
        head = member_rows[-size][4]
        household_rows.append(
            (
                number,
                hamlet_id,
                f"BENCH-{number:07d}",
                head,
                f"Số {number}",
                None,
                None,
                " | ".join(dict.fromkeys(names)),
                now,
                now,
            )
        )
        cls = rng.choices(classes, weights)[0]
        chosen = rng.choice(results[cls])
        class_rows.append(
            (
                number,
                number,
                YEAR,
                cls,
                "vn-2022-2025",
                True,
                orjson.dumps(chosen["deprived"]).decode(),
                orjson.dumps(chosen).decode(),
                "import",
                now,
            )
        )
        year_rows.append((number, YEAR, cls, number))
    with psycopg.connect(url.replace("+psycopg", "")) as conn, conn.cursor() as cursor:
        # Building the trigram indexes once after loading is much faster than maintaining them.
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname LIKE '%\\_trgm' ESCAPE '\\'"
        )
        trigram = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "DROP INDEX IF EXISTS ix_households_names_folded_trgm, ix_members_name_folded_trgm"
        )
        _copy(
            cursor,
            "households",
            "id, hamlet_id, code, head_name, address, latitude, "
            "longitude, names_folded, created_at, updated_at",
            household_rows,
        )
        _copy(
            cursor,
            "members",
            "id, household_id, member_no, position, full_name, "
            "name_folded, birth_date, sex, relation, national_id",
            member_rows,
        )
        _copy(
            cursor,
            "classifications",
            "id, household_id, year, household_class, "
            "standard_id, complete, deprived, result, source, recorded_at",
            class_rows,
        )
        _copy(
            cursor,
            "household_years",
            "household_id, year, household_class, classification_id",
            year_rows,
        )
        for definition in trigram:
            cursor.execute(definition)
        settle(conn, ("households", "members", "classifications"))
    return searchable, member_id


def timed(samples: int, call: Callable[[int], object]) -> list[float]:
    """Return the latencies in milliseconds of ``samples`` calls (after 5 warm-up calls)."""
    for index in range(5):
        call(index)
    latencies = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def p50_p95(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="40,000 households, fewer samples (under 60 s)"
    )
    parser.add_argument("--households", type=int, default=None, help="default 100,000")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database")
    parser.add_argument("--keep", action="store_true", help="keep the created database")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    samples = args.samples or (50 if args.quick else 400)
    args.households = args.households or (40_000 if args.quick else 100_000)
    rng = random.Random(args.seed)

    with scratch_database(args.database_url, args.keep) as url:
        started = time.perf_counter()
        upgrade(url)
        searchable, members = load(url, args.households, rng)
        load_seconds = time.perf_counter() - started
        print(f"loaded {args.households:,} households, {members:,} members in {load_seconds:.1f} s")

        settings = Settings(demo=True, database_url=url)
        engine = make_engine(url)
        app = create_app(settings, make_session_factory(engine))
        measured: dict[str, list[float]] = {}
        with TestClient(app) as client:
            token = client.post(
                "/api/v1/auth/login",
                json={"username": "viewer", "password": PASSWORD, "device_id": "bench-device"},
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            pages = args.households // 50

            def get(path: str, **params: Any) -> Any:
                response = client.get(path, params=params, headers=auth)
                assert response.status_code == 200, response.text
                return response.json()

            measured["list"] = timed(
                samples, lambda i: get("/api/v1/households", page=rng.randint(1, 20))
            )
            measured["list_deep_page"] = timed(
                max(10, samples // 4),
                lambda i: get("/api/v1/households", page=rng.randint(pages // 2, pages)),
            )
            measured["list_by_class"] = timed(
                samples,
                lambda i: get(
                    "/api/v1/households", household_class="poor", year=YEAR, page=rng.randint(1, 20)
                ),
            )
            hits = []

            def search(i: int) -> None:
                found = get("/api/v1/households", q=searchable[i % len(searchable)])
                hits.append(found["total"])

            measured["search"] = timed(samples, search)
            measured["detail"] = timed(
                samples, lambda i: get(f"/api/v1/households/{rng.randint(1, args.households)}")
            )
            measured["health"] = timed(samples, lambda i: get("/health"))
        with engine.connect() as connection:
            query = text("SELECT id, code, head_name FROM households WHERE id = :id")
            measured["baseline_sql"] = timed(
                samples,
                lambda i: connection.execute(query, {"id": rng.randint(1, args.households)}).all(),
            )
        engine.dispose()

    figures = {name: p50_p95(values) for name, values in measured.items()}
    print(f"{'operation':<16}{'median ms':>11}{'p95 ms':>9}   ({samples} samples each)")
    for name, (median, p95) in figures.items():
        print(f"{name:<16}{median:>11.2f}{p95:>9.2f}")
    print(f"search hits per query: median {statistics.median(hits):.0f}")
    baseline = figures["baseline_sql"][0]
    result = " ".join(
        f"{name}_p50_ms={median:.2f} {name}_p95_ms={p95:.2f}"
        for name, (median, p95) in figures.items()
    )
    print(
        f"RESULT households={args.households} members={members} samples={samples} "
        f"load_s={load_seconds:.1f} {result} "
        f"detail_vs_baseline={figures['detail'][0] / baseline:.1f} "
        f"search_vs_baseline={figures['search'][0] / baseline:.1f}"
    )


if __name__ == "__main__":
    main()
