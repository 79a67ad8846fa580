"""Report latencies on PostgreSQL: a province of a million households.

Loads N generated households (default 1,000,000; ``--quick`` 100,000) into a fresh database
migrated by Alembic with bulk COPY: 125 communes of 8,000 households in 32 hamlets, a head
member each, a class for 2023 (3 % poor, 4 % near-poor) and a 2024 class for every household
that was on the lists plus 1 % applicants, so the 2024 table has movements. Deprivation lists
follow the class (poor 3–6 indicators, near-poor 0–2, others mostly 0–1). Then times:

- ``table_commune``: the hamlet table of one commune (start vs now, changes) via the service;
- ``table_province``: registered households and standing classes per hamlet for the whole
  province, start of year and now (the hamlet table at province level);
- ``rates_province``: indicator deprivation counts among poor and near-poor, per hamlet, for the
  whole province (what the indicator rates are computed from);
- ``rollup``: the province roll-up per commune;
- ``naive``: a per-household ORM loop (load each household, then its standing class) over one
  commune, and that rate extrapolated to the province.

Usage: python -m bench.reports [--quick] [--households N] [--database-url URL] [--keep].
The last line is ``RESULT key=value …``.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
import psycopg
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.scratch import scratch_database, settle
from server.db import make_engine, make_session_factory
from server.households.models import Household, HouseholdYear
from server.migrate import upgrade
from server.reports import repository, service
from shared.standards import load_catalog

HOUSEHOLDS_PER_COMMUNE = 8_000
HAMLETS_PER_COMMUNE = 32
# The loaded classes name the deprivations of the standard they were classified under.
INDICATORS = tuple(indicator.id for indicator in load_catalog().get("vn-2022-2025").indicators)
T = TypeVar("T")


def _class_2023(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.03:
        return "poor"
    if draw < 0.07:
        return "near_poor"
    return "average" if draw < 0.10 else "not_poor"


def _class_2024(rng: random.Random, before: str) -> str:
    draw = rng.random()
    if before == "poor":
        return "poor" if draw < 0.6 else ("near_poor" if draw < 0.85 else "not_poor")
    if before == "near_poor":
        return "near_poor" if draw < 0.6 else ("poor" if draw < 0.7 else "not_poor")
    return "poor" if draw < 0.2 else ("near_poor" if draw < 0.5 else before)


def _deprived(rng: random.Random, cls: str) -> list[str]:
    if cls == "poor":
        count = rng.choice((3, 3, 4, 4, 5, 6))
    elif cls == "near_poor":
        count = rng.choice((0, 1, 1, 2, 2))
    else:
        count = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
    return rng.sample(INDICATORS, count)


def load(url: str, households: int, rng: random.Random) -> dict[str, int]:
    """Create the province and its communes, then COPY the households, their heads, their
    classifications and standing classes; return row counts."""
    communes = -(-households // HOUSEHOLDS_PER_COMMUNE)
    plain = url.replace("+psycopg", "")
    now = datetime.now(UTC)
    with psycopg.connect(plain) as conn, conn.cursor() as cursor:
        cursor.execute("INSERT INTO provinces (id, code, name) VALUES (1, '38', 'Tỉnh thử nghiệm')")
        with cursor.copy(
            "COPY communes (id, province_id, code, name, kind, legacy_district_code, "
            "legacy_commune_code) FROM STDIN"
        ) as copy:
            for c in range(1, communes + 1):
                copy.write_row((c, 1, f"B{c:04d}", f"Xã {c}", "xa", f"D{c % 9}", f"L{c:05d}"))
        with cursor.copy(
            "COPY hamlets (id, commune_id, code, name, kind, area) FROM STDIN"
        ) as copy:
            for c in range(communes):
                for h in range(HAMLETS_PER_COMMUNE):
                    hamlet_id = c * HAMLETS_PER_COMMUNE + h + 1
                    copy.write_row((hamlet_id, c + 1, f"T{h:02d}", f"Thôn {h}", "thon", "rural"))
        hamlets = communes * HAMLETS_PER_COMMUNE
        rows = Counter[str]()
        classification_id = 0
        with cursor.copy(
            "COPY households (id, hamlet_id, commune_id, code, head_name, address, "
            "names_folded, created_at, updated_at) FROM STDIN"
        ) as copy:
            for number in range(1, households + 1):
                hamlet_id = (number - 1) * hamlets // households + 1
                commune_id = (hamlet_id - 1) // HAMLETS_PER_COMMUNE + 1
                head = "Nguyễn Văn An"
                code = f"H{number:08d}"
                copy.write_row((number, hamlet_id, commune_id, code, head, "", "", now, now))
        rows["households"] = households
        with cursor.copy(
            "COPY members (id, household_id, member_no, position, full_name, name_folded, "
            "sex, relation) FROM STDIN"
        ) as copy:
            for number in range(1, households + 1):
                sex = "female" if rng.random() < 0.22 else "male"
                copy.write_row(
                    (number, number, "1", 0, "Nguyễn Văn An", "nguyen van an", sex, "head")
                )
        standing: list[tuple[int, int, str, int]] = []
        with cursor.copy(
            "COPY classifications (id, household_id, year, household_class, standard_id, "
            "complete, deprived, result, source, recorded_at) FROM STDIN"
        ) as copy:
            for number in range(1, households + 1):
                before = _class_2023(rng)
                years = [(2023, before)]
                if before in ("poor", "near_poor") or rng.random() < 0.01:
                    years.append((2024, _class_2024(rng, before)))
                for year, cls in years:
                    classification_id += 1
                    deprived = orjson.dumps(_deprived(rng, cls)).decode()
                    copy.write_row(
                        (
                            classification_id,
                            number,
                            year,
                            cls,
                            "vn-2022-2025",
                            True,
                            deprived,
                            "{}",
                            "import",
                            now,
                        )
                    )
                    standing.append((number, year, cls, classification_id))
        rows["classifications"] = classification_id
        with cursor.copy(
            "COPY household_years (household_id, year, household_class, classification_id) "
            "FROM STDIN"
        ) as copy:
            for row in standing:
                copy.write_row(row)
        rows["household_years"] = len(standing)
        settle(
            conn,
            ("provinces", "communes", "hamlets", "households", "members", "classifications"),
        )
    return dict(rows)


def best_of(runs: int, call: Callable[[], T]) -> tuple[float, T]:
    """Return the fastest of ``runs`` timings of ``call`` (seconds) and its last result."""
    best = float("inf")
    result: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - started)
    return best, result


def naive_hamlet_counts(session: Session, commune_id: int, year: int) -> Counter[tuple[int, str]]:
    """Count the commune's classes per hamlet one household at a time through the ORM: the
    way a report is written without thinking about the database."""
    counts: Counter[tuple[int, str]] = Counter()
    for hamlet in repository.hamlets(session, commune_id):
        for household in session.scalars(select(Household).where(Household.hamlet_id == hamlet.id)):
            latest = session.scalars(
                select(HouseholdYear)
                .where(HouseholdYear.household_id == household.id, HouseholdYear.year <= year)
                .order_by(HouseholdYear.year.desc())
                .limit(1)
            ).first()
            counts[hamlet.id, latest.household_class if latest else "none"] += 1
        session.expunge_all()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 households")
    parser.add_argument("--households", type=int)
    parser.add_argument("--database-url")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    households = args.households or (100_000 if args.quick else 1_000_000)
    rng = random.Random(9)
    with scratch_database(args.database_url, args.keep) as url:
        upgrade(url)
        started = time.perf_counter()
        rows = load(url, households, rng)
        load_s = time.perf_counter() - started
        print(f"loaded {rows} in {load_s:.1f} s")
        engine = make_engine(url)
        factory = make_session_factory(engine)
        year = 2024
        indicators = [i for i, _ in service.indicators_of(year)]
        with factory() as session:
            commune_ids = [c.id for c in repository.communes_of_province(session, 1, None)]

            def province_table() -> int:
                counted = repository.hamlet_classes(session, commune_ids, year)
                return sum(counted.households.values()) + len(counted.start) + len(counted.now)

            table_commune_s, table = best_of(
                args.runs, lambda: service.hamlet_table(session, None, commune_ids[0], year)
            )
            table_province_s, _ = best_of(args.runs, province_table)
            rates_province_s, rates = best_of(
                args.runs,
                lambda: repository.indicator_counts(session, commune_ids, year, indicators),
            )
            rollup_s, rolled = best_of(
                args.runs, lambda: service.rollup(session, None, 1, year, None)
            )
            deprivation_s, _ = best_of(
                args.runs, lambda: service.deprivations(session, None, commune_ids[0], year)
            )
            naive_s, naive = best_of(1, lambda: naive_hamlet_counts(session, commune_ids[0], year))
        engine.dispose()
    assert rolled.total.households == households
    naive_poor = sum(n for (_, cls), n in naive.items() if cls == "poor")
    assert naive_poor == table.total.now.poor, (naive_poor, table.total.now.poor)
    per_household = naive_s / sum(naive.values())
    naive_province_s = per_household * households
    print(
        f"province: {rolled.total.households:,} households, {rolled.total.poor:,} poor "
        f"({rolled.total.poor_rate} %), {rolled.total.near_poor:,} near-poor "
        f"({rolled.total.near_poor_rate} %); {len(rates)} hamlet×class rate rows"
    )
    print(
        f"commune 1 2024: {table.total.now.poor} poor, changes {table.total.changes}; "
        f"naive ORM loop {sum(naive.values()):,} households in {naive_s:.2f} s"
    )
    print(
        "RESULT "
        f"households={households} load_s={load_s:.1f} "
        f"table_commune_s={table_commune_s:.3f} table_province_s={table_province_s:.3f} "
        f"rates_province_s={rates_province_s:.3f} rollup_s={rollup_s:.3f} "
        f"deprivations_commune_s={deprivation_s:.3f} "
        f"naive_commune_s={naive_s:.2f} naive_province_est_s={naive_province_s:.0f} "
        f"speedup_table_province={naive_province_s / table_province_s:.0f}x"
    )


if __name__ == "__main__":
    main()
