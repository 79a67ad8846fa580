"""Sizing: the registry at a province's and a large province's size on PostgreSQL, for
docs/deploy.md's "Sizing".

Loads generated households into a database migrated by Alembic (copied from a migrated
template), first ``--sizes``' first size, then grows it to the next (default 1,000,000 then
3,000,000; ``--quick`` one commune of 8,400), and at each size prints the database's size by
table and times, through the real FastAPI app in process:

- ``hamlet_list``: a commune officer's first page of a hamlet's households;
- ``commune_report``: the hamlet table of a commune's year (a province viewer);
- ``tablet_pull``: an enumerator's first pull of a hamlet's working set, every page;
- ``tablet_pull_after``: the same tablet's pull after five households of its hamlet changed;
- ``province_rollup``: the province's roll-up per commune (every household of the database);
- ``select_pk``: a primary-key SELECT through the same engine, the floor of the figures.

The data is shaped like the country's (27.8 M households in 3,321 communes): 300 households
per hamlet, 28 hamlets per commune, 3.45 members per household on average (1 to 8, the 2019
census's spread), every member with a name, birth date, sex and relation and the facts of
Decision 24's forms for adults, two years of classification each with the engine's full
result (its facts, in no language, as the registry keeps it), a survey (answers, document) for
30 % of households in the latest year with its pushed record and outcome, and the change
sequence's rows of the registration and both years. It is written by PostgreSQL itself
(``INSERT … SELECT`` over ``generate_series``, sample documents made by the engine and passed
once as arrays) with the big tables' secondary indexes and constraints dropped and built again
after, as a bulk load should.

    python -m bench.scale [--quick] [--sizes 1000000,3000000] [--runs 5]
                          [--database-url URL] [--keep]

Ends with one ``RESULT key=value …`` line (figures of each size, suffixed by it in thousands).
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

from bench.scratch import migrated_database
from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.db import make_engine, make_session_factory
from server.demo.names import full_name
from server.demo.population import random_household
from server.settings import Settings
from server.text import fold
from shared.engine import classify, parse_household

PASSWORD = "bench-password"
HOUSEHOLDS_PER_HAMLET = 300
HAMLETS_PER_COMMUNE = 28
YEARS = (2024, 2025)
SURVEYED_PERCENT = 30
# Members per household, percent of households with 1, 2, … 8 (mean 3.45).
MEMBER_SPREAD = (11, 20, 21, 25, 12, 7, 3, 1)
# Classes of the sample documents: 4 % poor, 5 % near-poor, the rest average or not poor.
SAMPLE_TARGETS = ("poor",) * 4 + ("near_poor",) * 5 + ("average",) * 11 + ("not_poor",) * 80
NAMES = 2000
BIG_TABLES = (
    "households",
    "members",
    "classifications",
    "household_years",
    "surveys",
    "sync_changes",
    "sync_records",
)


def _samples(rng: random.Random) -> dict[str, list[Any]]:
    """Return arrays of sample values the SQL picks from: names, and surveys with their
    classification (document, the engine's facts, class, deprivations)."""
    names, folded, sexes = [], [], []
    for index in range(NAMES):
        sex = "female" if index % 2 else "male"
        name = full_name(rng, sex)
        names.append(name)
        folded.append(fold(name)[:120])
        sexes.append(sex)
    documents, results, classes, deprived = [], [], [], []
    for index, target in enumerate(SAMPLE_TARGETS):
        area = "urban" if index % 3 == 0 else "rural"
        document = random_household(rng, f"S{index}", date(2025, 10, 2), area, target)
        result = classify(parse_household(document))
        documents.append(orjson.dumps(document).decode())
        results.append(orjson.dumps(result.facts()).decode())
        classes.append(result.household_class)
        deprived.append(orjson.dumps(list(result.deprived)).decode())
    spread = [size for size, share in enumerate(MEMBER_SPREAD, 1) for _ in range(share)]
    return {
        "names": names,
        "folded": folded,
        "sexes": sexes,
        "documents": documents,
        "results": results,
        "classes": classes,
        "deprived": deprived,
        "spread": spread,
    }


# Deterministic "random" picks: a hash of the row's numbers, so each size is the same data.
_PICK = "mod(hashint8(({key})::bigint) & 2147483647, {n})"


def _pick(key: str, n: int | str) -> str:
    return _PICK.format(key=key, n=n)


class _Timed:
    """A cursor that adds up the time of its statements by their first words."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.cursor = cursor
        self.spent: dict[str, float] = {}

    def execute(self, query: str, params: Any = None) -> psycopg.Cursor[Any]:
        started = time.perf_counter()
        result = self.cursor.execute(query.encode(), params)
        words = " ".join(query.split()[:3])
        self.spent[words] = self.spent.get(words, 0.0) + time.perf_counter() - started
        return result


def _indexes(cursor: _Timed) -> list[str]:
    """Drop the big tables' secondary indexes, unique and foreign-key constraints; return
    the statements that make them again."""
    tables = list(BIG_TABLES)
    constraints = cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')",
        (tables,),
    ).fetchall()
    indexes = cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
        "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'p'))",
        (tables,),
    ).fetchall()
    for table, name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in constraints
    ]


def load(
    conn: psycopg.Connection[Any],
    samples: dict[str, list[Any]],
    first: int,
    last: int,
    province_id: int,
    device: tuple[int, int],
) -> None:
    """Add households ``first``..``last`` (ids; whole communes) with everything they hold."""
    user_id, device_id = device
    per_commune = HOUSEHOLDS_PER_HAMLET * HAMLETS_PER_COMMUNE
    first_commune = (first - 1) // per_commune + 1
    last_commune = (last - 1) // per_commune + 1
    params: dict[str, Any] = {"first": first, "last": last}
    households = "generate_series(%(first)s::int, %(last)s::int) h"
    # A survey sample (table s, parsed once: JSON parsed per row cost more than the rest).
    sampled = f"{households} JOIN bench_samples s ON s.i = {_pick('h', len(samples['documents']))}"
    document, result, household_class = "s.document", "s.result", "s.household_class"
    surveyed = f"{_pick('h + 7', 100)} < {SURVEYED_PERCENT}"
    hamlet = f"((h - 1) / {HOUSEHOLDS_PER_HAMLET} + 1)"
    commune = f"((h - 1) / {per_commune} + 1)"
    # A name (table n) picked by the household and member number.
    named = f"JOIN bench_names n ON n.i = {_pick('h * 16 + m', NAMES)}"
    size = f"(%(spread)s::int[])[1 + {_pick('h', 100)}]"
    adult = "m <= 2"
    with conn.cursor() as plain:
        cursor = _Timed(plain)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_samples AS SELECT i - 1 AS i, "
            "document::jsonb, result::jsonb, household_class, deprived::jsonb "
            "FROM unnest(%(documents)s::text[], %(results)s::text[], %(classes)s::text[], "
            "%(deprived)s::text[]) WITH ORDINALITY AS u(document, result, household_class, "
            "deprived, i)",
            samples,
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_names AS SELECT i - 1 AS i, name, folded, sex "
            "FROM unnest(%(names)s::text[], %(folded)s::text[], %(sexes)s::text[]) "
            "WITH ORDINALITY AS u(name, folded, sex, i)",
            samples,
        )
        params["spread"] = samples["spread"]
        cursor.execute(
            "INSERT INTO communes (id, province_id, code, name, kind, legacy_district_code, "
            "legacy_commune_code) SELECT c, %(province)s, 'X' || c, 'Xã ' || c, 'xa', "
            "'D' || (c / 12), 'L' || c FROM generate_series(%(a)s::int, %(b)s::int) c "
            "ON CONFLICT (id) DO NOTHING",
            {"province": province_id, "a": first_commune, "b": last_commune},
        )
        cursor.execute(
            "INSERT INTO hamlets (id, commune_id, code, name, kind, area) "
            f"SELECT t, (t - 1) / {HAMLETS_PER_COMMUNE} + 1, 'T' || t, 'Thôn ' || t, 'thon', "
            "CASE WHEN mod(t, 3) = 0 THEN 'urban' ELSE 'rural' END "
            "FROM generate_series(%(a)s::int, %(b)s::int) t ON CONFLICT (id) DO NOTHING",
            {
                "a": (first_commune - 1) * HAMLETS_PER_COMMUNE + 1,
                "b": last_commune * HAMLETS_PER_COMMUNE,
            },
        )
        restore = _indexes(cursor)
        cursor.execute(
            "INSERT INTO households (id, hamlet_id, commune_id, code, head_name, address, "
            "latitude, longitude, names_folded, created_at, updated_at) "
            f"SELECT h, {hamlet}, {commune}, 'HH' || lpad(h::text, 8, '0'), n.name, "
            "'Xóm ' || mod(h, 12) || ', số ' || mod(h, 97), "
            f"10 + {_pick('h', 1000)} / 100.0, 105 + {_pick('h + 1', 1000)} / 100.0, "
            f"n.folded, now(), now() FROM {households} CROSS JOIN (VALUES (1)) AS one(m) "
            f"{named}",
            params,
        )
        cursor.execute(
            "INSERT INTO members (household_id, member_no, position, full_name, name_folded, "
            "birth_date, sex, relation, national_id, national_id_issued_on, "
            "national_id_issued_by, ethnicity, permanent_residence, current_residence, "
            "activity, no_labour_capacity, monthly_social_allowance_vnd, revolutionary_merit) "
            "SELECT h, m::text, m - 1, n.name, n.folded, date '1950-01-01' + "
            f"CASE WHEN {adult} THEN {_pick('h * 16 + m', 15000)} "
            f"ELSE 15000 + {_pick('h * 16 + m', 9000)} END, n.sex, "
            "CASE m WHEN 1 THEN 'head' WHEN 2 THEN 'spouse' ELSE 'child' END, "
            f"CASE WHEN {adult} THEN lpad({_pick('h * 16 + m', 2**31 - 1)}::text, 12, '0') END, "
            f"CASE WHEN {adult} THEN date '2021-06-01' + {_pick('h', 900)} END, "
            f"CASE WHEN {adult} THEN 'Cục Cảnh sát quản lý hành chính về trật tự xã hội' END, "
            f"'01', 'Xóm ' || mod(h, 12), NULL, CASE WHEN {adult} THEN 'employed' END, "
            f"CASE WHEN {adult} THEN false END, NULL, NULL "
            f"FROM {households} CROSS JOIN LATERAL generate_series(1, {size}) m {named}",
            params,
        )
        cursor.execute(
            "INSERT INTO surveys (id, uuid, household_id, form_id, form_version, answers, "
            "household_document, enumerator_id, device_id, started_at, completed_at, "
            "received_at, latitude, longitude, accuracy_m, photos) "
            "SELECT h, md5('s' || h)::uuid::text, h, 'household_review', '3', "
            f"{document}, {document}, {user_id}, {device_id}, now(), now(), now(), "
            f"10.5, 105.5, 8, '[]' FROM {sampled} WHERE {surveyed}",
            params,
        )
        for number, year in enumerate(YEARS):
            by_survey = f"{surveyed} AND {year} = {YEARS[-1]}"
            cursor.execute(
                "INSERT INTO classifications (id, household_id, year, household_class, "
                "standard_id, complete, deprived, result, source, survey_id, recorded_at) "
                f"SELECT h * {len(YEARS)} + {number}, h, {year}, {household_class}, "
                f"'vn-2022-2025', true, s.deprived, {result}, "
                f"CASE WHEN {by_survey} THEN 'survey' ELSE 'import' END, "
                f"CASE WHEN {by_survey} THEN h END, now() FROM {sampled}",
                params,
            )
            cursor.execute(
                "INSERT INTO household_years (household_id, year, household_class, "
                f"classification_id) SELECT h, {year}, {household_class}, "
                f"h * {len(YEARS)} + {number} FROM {sampled}",
                params,
            )
        # The registration, then each year's class: three changes of each household.
        changes = len(YEARS) + 1
        top = cursor.execute("SELECT coalesce(max(seq), 0) FROM sync_changes").fetchone()
        assert top is not None
        cursor.execute(
            "INSERT INTO sync_changes (seq, entity, entity_key, hamlet_id) "
            f"SELECT {top[0]} + (h - %(first)s) * {changes} + k + 1, 'household', h::text, "
            f"{hamlet} FROM {households}, generate_series(0, {changes - 1}) k",
            params,
        )
        cursor.execute(
            "INSERT INTO sync_records (uuid, kind, content_hash, device_id, user_id, "
            "household_id, outcome, received_at) "
            "SELECT md5('s' || h)::uuid::text, 'survey', md5('c' || h) || md5('d' || h), "
            f"{device_id}, {user_id}, h, jsonb_build_object('id', md5('s' || h)::uuid::text, "
            "'status', 201, 'result', 'applied', 'household_id', h, 'survey_id', h), now() "
            f"FROM {households} WHERE {surveyed}",
            params,
        )
        for statement in restore:
            cursor.execute(statement)
        for table, column in (
            ("communes", "id"),
            ("hamlets", "id"),
            ("households", "id"),
            ("members", "id"),
            ("classifications", "id"),
            ("surveys", "id"),
            ("sync_changes", "seq"),
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"(SELECT max({column}) FROM {table}))"
            )
        cursor.execute("DROP TABLE bench_samples, bench_names")
    conn.commit()
    conn.autocommit = True
    started = time.perf_counter()
    conn.execute(f"VACUUM ANALYZE communes, hamlets, {', '.join(BIG_TABLES)}")
    cursor.spent["VACUUM ANALYZE"] = time.perf_counter() - started
    conn.autocommit = False
    print("  load: " + ", ".join(f"{k} {v:.1f}s" for k, v in cursor.spent.items() if v >= 0.5))


def sizes(conn: psycopg.Connection[Any]) -> tuple[int, dict[str, tuple[int, int]]]:
    """Return the database's bytes and, per big table, (table bytes with TOAST, index bytes)."""
    database = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    assert database is not None
    tables = {}
    for table in BIG_TABLES:
        row = conn.execute(
            "SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass)", (table, table)
        ).fetchone()
        assert row is not None
        tables[table] = (int(row[0]), int(row[1]))
    return int(database[0]), tables


def timed(runs: int, call: Callable[[], object]) -> float:
    """Return the median of ``runs`` timings of ``call`` in seconds, after one to warm up."""
    call()
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def _login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": f"scale-{username}"},
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _pull_all(client: TestClient, headers: dict[str, str], cursor: str | None) -> str:
    """Pull every page after ``cursor``; return the last cursor."""
    while True:
        params = {"cursor": cursor} if cursor else {}
        page = client.get("/api/v1/sync/pull", params=params, headers=headers)
        page.raise_for_status()
        body = page.json()
        cursor = str(body["cursor"])
        if not body["more"]:
            return cursor


def measure(
    client: TestClient,
    url: str,
    logins: dict[str, dict[str, str]],
    households: int,
    runs: int,
) -> dict[str, float]:
    """Time the queries that matter on a database of ``households``."""
    communes = -(-households // (HOUSEHOLDS_PER_HAMLET * HAMLETS_PER_COMMUNE))
    rng = random.Random(households)
    officer, viewer, enumerator = logins["officer"], logins["viewer"], logins["enumerator"]
    year = YEARS[-1]

    def get(path: str, headers: dict[str, str], **params: Any) -> None:
        client.get(path, params=params, headers=headers).raise_for_status()

    figures = {
        "hamlet_list": timed(
            runs,
            lambda: get(
                "/api/v1/households",
                officer,
                hamlet_id=rng.randint(1, HAMLETS_PER_COMMUNE),
                page_size=50,
            ),
        ),
        "commune_report": timed(
            runs,
            lambda: get(
                f"/api/v1/reports/communes/{rng.randint(1, communes)}/years/{year}/hamlet-table",
                viewer,
            ),
        ),
        "tablet_pull": timed(runs, lambda: _pull_all(client, enumerator, None)),
        "province_rollup": timed(
            max(1, runs // 2),
            lambda: get(f"/api/v1/reports/provinces/1/years/{year}/rollup", viewer),
        ),
    }
    cursor = _pull_all(client, enumerator, None)
    engine = make_engine(url)
    with engine.begin() as connection:
        # Five households of the hamlet change (as five pushes would) before each pull.
        def changed_then_pull() -> None:
            keys = [str(rng.randint(1, HOUSEHOLDS_PER_HAMLET)) for _ in range(5)]
            with engine.begin() as writer:
                writer.execute(
                    text(
                        "INSERT INTO sync_changes (entity, entity_key, hamlet_id) "
                        "SELECT 'household', k, 1 FROM unnest(CAST(:keys AS text[])) k"
                    ),
                    {"keys": keys},
                )
            _pull_all(client, enumerator, cursor)

        figures["tablet_pull_after"] = timed(runs, changed_then_pull)
        figures["select_pk"] = timed(
            runs,
            lambda: connection.execute(
                text("SELECT id, head_name FROM households WHERE id = :id"),
                {"id": rng.randint(1, households)},
            ).one(),
        )
    engine.dispose()
    return figures


def _seed_users(url: str, settings: Settings) -> None:
    """Create the province (id 1), commune 1 and hamlet 1's rows the users need, and the
    users: a commune officer of commune 1, a province viewer, an enumerator of hamlet 1."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO provinces (id, code, name) VALUES (1, '01', 'Tỉnh')"))
        connection.execute(
            text(
                "INSERT INTO communes (id, province_id, code, name, kind) "
                "VALUES (1, 1, 'X1', 'Xã 1', 'xa')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO hamlets (id, commune_id, code, name, kind, area) "
                "VALUES (1, 1, 'T1', 'Thôn 1', 'thon', 'rural')"
            )
        )
    security = Security(settings)
    with make_session_factory(engine)() as session:
        for username, role, scope in (
            ("officer", Role.COMMUNE_OFFICER, Scope(ScopeKind.COMMUNE, commune_id=1)),
            ("viewer", Role.PROVINCE_VIEWER, Scope(ScopeKind.PROVINCE, province_id=1)),
            ("enumerator", Role.ENUMERATOR, Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({1}))),
        ):
            create_user(session, security, SYSTEM, username, username, PASSWORD, role, scope)
        session.commit()
    engine.dispose()


def _device(url: str) -> tuple[int, int]:
    """Return the enumerator's (user id, device id)."""
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        row = conn.execute(
            "SELECT u.id, d.id FROM users u JOIN devices d ON d.user_id = u.id "
            "WHERE u.username = 'enumerator'"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one commune, 8,400 households")
    parser.add_argument("--sizes", default="", help="comma-separated household counts")
    parser.add_argument("--runs", type=int, default=0, help="timings per query (median)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.runs = args.runs or (3 if args.quick else 5)
    per_commune = HOUSEHOLDS_PER_HAMLET * HAMLETS_PER_COMMUNE
    wanted = [int(s) for s in args.sizes.split(",") if s] or (
        [8_400] if args.quick else [1_000_000, 3_000_000]
    )
    # Whole communes, so each commune has its 28 hamlets of 300 households.
    steps = [-(-n // per_commune) * per_commune for n in wanted]
    begun = time.perf_counter()
    samples = _samples(random.Random(7))
    fields: dict[str, str] = {}
    with migrated_database(args.database_url, args.keep, prefix="rasoat_bench_scale") as url:
        settings = Settings(
            database_url=url, demo=True, password_time_cost=1, password_memory_kib=64
        )
        _seed_users(url, settings)
        with TestClient(create_app(settings)) as client:
            _login(client, "enumerator")  # its device, which the pushed records name
            device = _device(url)
            loaded = 0
            plain = url.replace("+psycopg", "")
            for households in steps:
                started = time.perf_counter()
                with psycopg.connect(plain) as conn:
                    load(conn, samples, loaded + 1, households, 1, device)
                    load_s = time.perf_counter() - started
                    database, tables = sizes(conn)
                loaded = households
                _print(households, load_s, database, tables)
                # Signed in after the load, which outlasts an access token.
                logins = {n: _login(client, n) for n in ("officer", "viewer", "enumerator")}
                figures = measure(client, url, logins, households, args.runs)
                print("  " + " ".join(f"{k}={v * 1000:.1f}ms" for k, v in figures.items()))
                tag = f"_{households // 1000}k"
                fields |= {
                    f"db_gb{tag}": f"{database / 1e9:.2f}",
                    f"bytes_per_household{tag}": f"{database / households:.0f}",
                    f"load_s{tag}": f"{load_s:.0f}",
                } | {f"{key}_s{tag}": f"{value:.3f}" for key, value in figures.items()}
    total = time.perf_counter() - begun
    line = " ".join(f"{key}={value}" for key, value in fields.items())
    print(f"RESULT sizes={','.join(str(s) for s in steps)} total_s={total:.0f} {line}")


def _print(
    households: int,
    load_s: float,
    database: int,
    tables: dict[str, tuple[int, int]],
) -> None:
    print(f"{households:,} households: loaded in {load_s:.0f} s, database {database / 1e9:.2f} GB")
    for table, (data, indexes) in tables.items():
        print(
            f"  {table:16} {data / 1e6:9.1f} MB data {indexes / 1e6:9.1f} MB indexes "
            f"({(data + indexes) / households:6.0f} B per household)"
        )


if __name__ == "__main__":
    main()
