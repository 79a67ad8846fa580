"""Many tablets syncing at once: N simulated tablets (the real sync engine and its SQLite
store, each with its own httpx.Client over loopback) push a round of records and pull, again
and again for a bounded time, against ``rasoat serve --workers W`` on a scratch PostgreSQL
database. One tablet alone runs the same rounds first, in the same run, as the baseline.

    python -m bench.sync_load [--quick] [--tablets 50] [--workers 2] [--seconds 60]
                              [--database-url postgresql+psycopg://postgres@127.0.0.1/db]
                              [--against main]

A round is what an enumerator brings back into signal: 18 households registered and 3 edits
of households already on the tablet (21 records, one push), then a pull of what the others
of the hamlet pushed meanwhile. Tablets share hamlets five to one, as a commune's teams do.
Any failed request counts as an error (the engine's retries are off: a retried 5xx or
timeout would hide the load). The machine's load average is printed beside the figures,
since other work on it moves them. ``--against REF`` runs the same bench first with the
server of git revision REF (its tree exported to a temporary folder, same clients, same
machine, minutes apart) and adds its figures to the RESULT line as ``ref_…``: a baseline
measured under the same load. Ends with one ``RESULT key=value …`` line.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.scratch import migrated_database
from bench.sync import _households
from mobile.sync.engine import Retry, SyncEngine
from mobile.sync.store import Store

PASSWORD = "password-123"
CREATES_PER_ROUND = 18
EDITS_PER_ROUND = 3
TABLETS_PER_HAMLET = 5


@dataclass
class Timings:
    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    records: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _seed(url: str, hamlets: int, tablets: int, folder: Path) -> tuple[list[int], str]:
    """Create a commune of ``hamlets`` hamlets and enumerators: user i < ``tablets`` over
    hamlet i // TABLETS_PER_HAMLET, the next one over every hamlet (it loads them), the last
    over the last hamlet (the baseline's); return (hamlet ids, username prefix)."""
    from server.audit.service import SYSTEM
    from server.auth.policy import Role, Scope, ScopeKind
    from server.auth.security import Security
    from server.auth.service import create_user
    from server.db import make_engine, make_session_factory
    from server.geography.service import create_commune, create_hamlet, create_province
    from server.settings import Settings

    settings = Settings(demo=True, data_dir=folder, password_time_cost=1, password_memory_kib=64)
    engine = make_engine(url)
    tag = uuid.uuid4().hex[:6]
    try:
        with make_session_factory(engine)() as session:
            province = create_province(session, SYSTEM, f"L{tag}", "Tỉnh")
            commune = create_commune(session, SYSTEM, province, f"L{tag}", "Xã")
            ids = [
                create_hamlet(session, SYSTEM, commune, f"T{n}", f"Thôn {n}", "thon", "rural").id
                for n in range(hamlets)
            ]
            security = Security(settings)
            scopes = [[ids[index // TABLETS_PER_HAMLET % hamlets]] for index in range(tablets)] + [
                ids,
                ids[-1:],
            ]
            for index, scope in enumerate(scopes):
                create_user(
                    session,
                    security,
                    SYSTEM,
                    f"u{tag}{index}",
                    f"Điều tra viên {index}",
                    PASSWORD,
                    Role.ENUMERATOR,
                    Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset(scope)),
                )
            session.commit()
    finally:
        engine.dispose()
    return ids, f"u{tag}"


def _serve(
    url: str, port: int, workers: int, folder: Path, source: Path | None
) -> subprocess.Popen[bytes]:
    """Start ``rasoat serve`` on ``port`` (the code of ``source`` when given, else this
    tree's) and return it once it answers."""
    env = os.environ | {
        "RASOAT_DATABASE_URL": url,
        "RASOAT_DEMO": "1",
        "RASOAT_DATA_DIR": str(folder / "server"),
        # The bench's users were made with the cheapest hash; the server would otherwise
        # rehash each password at the full cost when its user signs in.
        "RASOAT_PASSWORD_TIME_COST": "1",
        "RASOAT_PASSWORD_MEMORY_KIB": "64",
    }
    if source is not None:
        env["PYTHONPATH"] = str(source)
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from server.cli.main import app; app()",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-migrate",
        ],
        env=env,
        cwd=source,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Generous: on a machine shared with other work the workers take a while to import.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited; see {folder / 'server.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code < 500:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("server did not answer within 180 s")


class Tablet:
    """One enumerator's tablet: its own store, client and random work."""

    def __init__(self, base: str, username: str, hamlet_id: int, folder: Path, seed: int):
        token = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"username": username, "password": PASSWORD, "device_id": f"load-{username}"},
            timeout=60,
        ).json()["access_token"]
        self.http = httpx.Client(
            base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}
        )
        self.engine = SyncEngine(
            self.http,
            Store(folder / f"{username}.sqlite3"),
            retry=Retry(attempts=1),
            rng=random.Random(seed),
        )
        self.username = username
        self.hamlet_id = hamlet_id
        self.rng = random.Random(seed)
        self.rounds = 0

    def queue_round(self) -> None:
        self.rounds += 1
        tag = f"{self.username}-{self.rounds}"
        for row in _households(self.rng, CREATES_PER_ROUND, self.hamlet_id, tag):
            self.engine.store.create_household(**row)
        held = self.engine.store.keys("household")
        for key in self.rng.sample(held, min(EDITS_PER_ROUND, len(held))):
            self.engine.store.edit_household(
                int(key), {"address": f"Xóm {self.rng.randint(1, 99)} ({tag})"}
            )

    def round(self, timings: Timings) -> None:
        """Queue a round, push it and pull; record the times or the error."""
        self.queue_round()
        try:
            started = time.perf_counter()
            settled, refused, _conflicts = self.engine.push()
            pushed = time.perf_counter()
            self.engine.pull()
            pulled = time.perf_counter()
        except Exception as exc:
            with timings.lock:
                timings.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return
        with timings.lock:
            timings.push.append(pushed - started)
            timings.pull.append(pulled - pushed)
            timings.records += settled
            if refused:
                timings.errors.append(f"{refused} records refused")

    def close(self) -> None:
        self.http.close()
        self.engine.store.close()


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) of ``pid`` and every process under it."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def _summary(name: str, timings: Timings, seconds: float) -> str:
    push, pull = timings.push, timings.pull
    return (
        f"{name}: rounds={len(timings.push)} records={timings.records} "
        f"in {seconds:.1f}s ({timings.records / seconds:.0f} records/s, "
        f"{len(timings.push) / seconds:.1f} syncs/s) "
        f"push p50={_percentile(push, 0.5):.2f}s p95={_percentile(push, 0.95):.2f}s "
        f"max={max(push, default=float('nan')):.2f}s "
        f"pull p50={_percentile(pull, 0.5):.2f}s p95={_percentile(pull, 0.95):.2f}s "
        f"max={max(pull, default=float('nan')):.2f}s errors={len(timings.errors)}"
    )


@dataclass
class Figures:
    """What one run measured."""

    baseline: Timings
    baseline_seconds: float
    load: Timings
    load_seconds: float
    server_cpu: float
    client_cpu: float
    loadavg: tuple[float, float]
    setup_seconds: float


def _run(args: argparse.Namespace, url: str, source: Path | None) -> Figures:
    """Seed ``url``, start the server (of ``source``, else this tree) and run the bench."""
    begun = time.perf_counter()
    # Tablets' stores in memory-backed files where there are: fifty SQLite files synced to a
    # shared disk would measure the disk, not the server.
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="rasoat-sync-load-", dir=shm if shm.is_dir() else None))
    hamlets = max(1, -(-args.tablets // TABLETS_PER_HAMLET))
    hamlet_ids, prefix = _seed(url, hamlets, args.tablets, folder)
    phases = {"seed": time.perf_counter() - begun}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(url, port, args.workers, folder, source)
    phases["start"] = time.perf_counter() - begun - sum(phases.values())
    try:
        loader_index = args.tablets
        loader = Tablet(base, f"{prefix}{loader_index}", hamlet_ids[-1], folder, 0)
        for hamlet_id in hamlet_ids:
            for row in _households(random.Random(hamlet_id), args.households, hamlet_id, "P"):
                loader.engine.store.create_household(
                    **{**row, "code": f"{row['code']}-{hamlet_id}"}
                )
        _settled, refused, _ = loader.engine.push()
        loader.close()
        if refused:
            raise RuntimeError(f"the load of the hamlets refused {refused} households")
        phases["load"] = time.perf_counter() - begun - sum(phases.values())

        tablets = [
            Tablet(base, f"{prefix}{i}", hamlet_ids[i // TABLETS_PER_HAMLET], folder, i + 1)
            for i in range(args.tablets)
        ]
        for tablet in tablets:
            tablet.engine.pull()  # the working set the tablet left with this morning
        phases["tablets"] = time.perf_counter() - begun - sum(phases.values())

        alone = Tablet(base, f"{prefix}{loader_index + 1}", hamlet_ids[-1], folder, 99)
        alone.engine.pull()
        baseline = Timings()
        started = time.perf_counter()
        for _ in range(args.baseline_rounds):
            alone.round(baseline)
        baseline_seconds = time.perf_counter() - started
        alone.close()

        load = Timings()
        gate = threading.Barrier(len(tablets))
        deadline = 0.0
        setup_seconds = time.perf_counter() - begun
        spent = " ".join(f"{name} {seconds:.1f}s" for name, seconds in phases.items())
        print(f"setup done in {setup_seconds:.1f}s ({spent})", flush=True)

        def work(tablet: Tablet) -> None:
            nonlocal deadline
            if gate.wait() == 0:
                deadline = time.perf_counter() + args.seconds
            time.sleep(tablet.rng.uniform(0, 1))  # the same hours, not the same millisecond
            while not deadline or time.perf_counter() < deadline:
                tablet.round(load)

        server_cpu = _cpu_seconds(server.pid)
        client_cpu = time.process_time()
        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(t,)) for t in tablets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_seconds = time.perf_counter() - started
        server_cpu = _cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        loadavg = os.getloadavg()
        for tablet in tablets:
            tablet.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return Figures(
        baseline,
        baseline_seconds,
        load,
        load_seconds,
        server_cpu,
        client_cpu,
        (loadavg[0], loadavg[1]),
        setup_seconds,
    )


def _report(name: str, args: argparse.Namespace, figures: Figures) -> dict[str, str]:
    """Print a run's figures and return its RESULT fields."""
    load, baseline = figures.load, figures.baseline
    syncs = max(1, len(load.push))
    print(f"{name}:")
    print(
        f"  database=postgresql workers={args.workers} households_per_hamlet={args.households} "
        f"records_per_round={CREATES_PER_ROUND + EDITS_PER_ROUND} cpus={os.cpu_count()} "
        f"loadavg_1min={figures.loadavg[0]:.1f} loadavg_5min={figures.loadavg[1]:.1f}"
    )
    print("  " + _summary("baseline (1 tablet)", baseline, figures.baseline_seconds))
    print("  " + _summary(f"load ({args.tablets} tablets)", load, figures.load_seconds))
    print(
        f"  CPU per sync (push + pull): server {figures.server_cpu / syncs * 1000:.0f} ms, "
        f"tablets {figures.client_cpu / syncs * 1000:.0f} ms"
    )
    for error in sorted(set(load.errors + baseline.errors))[:10]:
        print(f"  error: {error}")
    return {
        "push_p50_s": f"{_percentile(load.push, 0.5):.2f}",
        "push_p95_s": f"{_percentile(load.push, 0.95):.2f}",
        "pull_p50_s": f"{_percentile(load.pull, 0.5):.2f}",
        "pull_p95_s": f"{_percentile(load.pull, 0.95):.2f}",
        "errors": str(len(load.errors) + len(baseline.errors)),
        "syncs": str(len(load.push)),
        "syncs_per_s": f"{len(load.push) / figures.load_seconds:.1f}",
        "records_per_s": f"{load.records / figures.load_seconds:.0f}",
        "baseline_push_p50_s": f"{_percentile(baseline.push, 0.5):.2f}",
        "baseline_pull_p50_s": f"{_percentile(baseline.pull, 0.5):.2f}",
        "server_cpu_ms_per_sync": f"{figures.server_cpu / syncs * 1000:.0f}",
        "loadavg": f"{figures.loadavg[0]:.1f}",
    }


def _exported(ref: str, folder: Path) -> Path:
    """Return a folder holding the tree of git revision ``ref`` of this repository."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # Compiled once here, not by the server's processes side by side as they start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a shorter run, under a minute")
    parser.add_argument("--tablets", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0, help="length of the load phase")
    parser.add_argument("--households", type=int, default=0, help="households per hamlet")
    parser.add_argument("--baseline-rounds", type=int, default=0)
    parser.add_argument("--database-url", default="", help="default: a scratch database")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--against", default="", help="git revision to measure first, as ref_…")
    args = parser.parse_args()
    args.seconds = args.seconds or (15 if args.quick else 60)
    args.households = args.households or (100 if args.quick else 300)
    args.baseline_rounds = args.baseline_rounds or (3 if args.quick else 10)
    fields: dict[str, str] = {}
    if args.against:
        with tempfile.TemporaryDirectory(prefix="rasoat-ref-") as folder:
            tree = _exported(args.against, Path(folder))
            with migrated_database(
                args.database_url, args.keep, prefix="rasoat_bench_load", root=tree
            ) as url:
                figures = _run(args, url, tree)
        reference = _report(f"server of {args.against}", args, figures)
        fields = {f"ref_{key}": value for key, value in reference.items() if key != "errors"}
        fields["ref_errors"] = reference["errors"]
    with migrated_database(args.database_url, args.keep, prefix="rasoat_bench_load") as url:
        figures = _run(args, url, None)
    fields = _report("server of this tree", args, figures) | fields
    line = " ".join(f"{key}={value}" for key, value in fields.items())
    print(f"RESULT tablets={args.tablets} workers={args.workers} {line}")


if __name__ == "__main__":
    main()
