"""Household import on PostgreSQL: a commune's list of N households (default 10,000, ~3.8
members each) imported from XLSX through the same service the command and the API call.

Into a fresh PostgreSQL database migrated by Alembic, with one commune of 32 hamlets:

- parse (baseline in the same run): reading the XLSX and checking every row, no database;
- preview: parse, plus what the registry holds, nothing written;
- import: the whole file committed in one transaction (households, members, last year's
  class as the standing class, the change sequence, the audit entry);
- again: the same file imported a second time (nothing changes);
- floor (baseline): the same households and members inserted by a plain ``executemany``
  through the same engine, no checks, no class, no change sequence.

The target is ``import`` ≤ 10 s for 10,000 households; the CPU time this process spends on
each step is printed beside its wall time (the database server's work is in the wall time).

Usage: python -m bench.import [--quick] [--households N] [--database-url URL] [--keep]. The
last line is ``RESULT key=value …``.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
from datetime import date

from openpyxl import Workbook
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from bench.scratch import scratch_database
from server.audit.service import SYSTEM
from server.db import make_engine, make_session_factory
from server.geography.models import Commune
from server.geography.service import create_commune, create_hamlet, create_province
from server.households.models import Household, Member
from server.imports.columns import COLUMNS
from server.imports.reading import read_table
from server.imports.rows import read_households
from server.imports.sample import household_list
from server.imports.service import ImportRequest, import_households
from server.imports.values import Cell
from server.migrate import upgrade
from server.text import fold

YEAR = 2025
TODAY = date(2026, 1, 15)
HAMLETS = 32
TARGET_S = 10.0


def _xlsx(rows: list[list[Cell]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách hộ")
    sheet.append([c.heading for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _communes(session: Session) -> tuple[Commune, Commune, list[str]]:
    province = create_province(session, SYSTEM, "38", "Thanh Hóa")
    communes = []
    for code in ("B0001", "B0002"):
        commune = create_commune(session, SYSTEM, province, code, f"Xã {code}")
        for number in range(1, HAMLETS + 1):
            create_hamlet(
                session, SYSTEM, commune, f"T{number:02d}", f"Thôn {number}", "thon", "rural"
            )
        communes.append(commune)
    session.commit()
    return communes[0], communes[1], [f"Thôn {n}" for n in range(1, HAMLETS + 1)]


def _floor(session: Session, commune: Commune, rows: list[list[Cell]]) -> float:
    """Insert the households and their members with two plain executemany statements."""
    hamlet_id = session.scalar(
        text("SELECT min(id) FROM hamlets WHERE commune_id = :c"), {"c": commune.id}
    )
    households, members = [], []
    for row in rows:
        if row[1] is not None:
            households.append(
                {
                    "hamlet_id": hamlet_id,
                    "commune_id": commune.id,
                    "code": row[1],
                    "head_name": row[2],
                    "address": row[3],
                    "names_folded": fold(str(row[2])),
                }
            )
        members.append((len(households) - 1, row))
    started = time.perf_counter()
    ids = session.scalars(
        insert(Household).returning(Household.id, sort_by_parameter_order=True), households
    ).all()
    session.execute(
        insert(Member),
        [
            {
                "household_id": ids[index],
                "member_no": str(position),
                "position": position,
                "full_name": row[4],
                "name_folded": fold(str(row[4])),
                "birth_date": date(*reversed([int(p) for p in str(row[5]).split("/")])),
                "sex": "male" if row[6] == "Nam" else "female",
                "relation": "other",
                "national_id": row[8],
            }
            for position, (index, row) in enumerate(members)
        ],
    )
    session.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run of each step")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with scratch_database(args.database_url, args.keep, prefix="rasoat_bench_import") as url:
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with factory() as session:
            commune, other, hamlets = _communes(session)
        rows = household_list(random.Random(7), args.households, hamlets, YEAR)
        data = _xlsx(rows)
        people = len(rows)
        print(f"{args.households} households, {people} members, file {len(data) / 1e6:.1f} MB")

        started = time.perf_counter()
        parsed = read_households(read_table(data, "bench.xlsx", {}), {}, TODAY)
        parse_s = time.perf_counter() - started
        assert not parsed.refusals, parsed.refusals[:3]
        print(f"parse    {parse_s:6.2f} s")

        request = ImportRequest(data, "bench.xlsx", {}, YEAR, TODAY)
        timings, cpu = {}, {}
        for step, commit in (("preview", False), ("import", True), ("again", True)):
            with factory() as session:
                started, used = time.perf_counter(), time.process_time()
                preview = import_households(session, SYSTEM, commune, request, commit)
                session.commit()
                timings[step] = time.perf_counter() - started
                cpu[step] = time.process_time() - used
            print(f"{step:8} {timings[step]:6.2f} s  (cpu {cpu[step]:.2f} s)  {preview.counts()}")
        assert preview.counts()["unchanged"] == args.households
        with factory() as session:
            floor_s = _floor(session, other, rows)
        print(f"floor    {floor_s:6.2f} s  (plain executemany of households and members)")
        engine.dispose()
    # The machine's load: on a shared machine the wall times stretch and the CPU times do not.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"RESULT households={args.households} members={people} parse_s={parse_s:.2f} "
        f"preview_s={timings['preview']:.2f} import_s={timings['import']:.2f} "
        f"import_cpu_s={cpu['import']:.2f} again_s={timings['again']:.2f} "
        f"floor_s={floor_s:.2f} target_s={TARGET_S:.0f} "
        f"ok={timings['import'] <= TARGET_S}"
    )


if __name__ == "__main__":
    main()
