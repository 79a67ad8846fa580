"""``rasoat worker`` runs the background jobs; ``rasoat jobs show`` follows one. A job's
progress prints to standard error as a bar with its step in words, its file to ``--out`` (or
standard output) once done."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from server.db import make_engine, make_session_factory
from server.jobs import repository, service
from server.jobs.vocabulary import FINISHED, JobState, stage_label
from server.jobs.worker import Worker
from server.settings import Settings
from shared.errors import ErrorCode, Lang, render

app = typer.Typer(help="Background jobs: follow one, fetch its file.")

# How often a waiting command reads the job again.
POLL_SECONDS = 0.5
# After this long still queued, a waiting command says a worker is needed.
NO_WORKER_SECONDS = 10.0
BAR = 20

TEXT: dict[str, dict[Lang, str]] = {
    "queued": {"vi": "Đã xếp việc số {job}", "en": "Queued job {job}"},
    "no_worker": {
        "vi": "Việc vẫn đang chờ: cần một máy chạy nền (rasoat worker, hoặc rasoat serve)",
        "en": "The job is still waiting: a worker must run (rasoat worker, or rasoat serve)",
    },
    "wrote": {"vi": "Đã ghi {out} ({size:,} byte)", "en": "Wrote {out} ({size:,} bytes)"},
    "no_file": {"vi": "Việc số {job} không có tệp kết quả", "en": "Job {job} gives no file"},
}


def _bar(done: int, total: int) -> str:
    filled = BAR * done // total if total else 0
    return "[" + "#" * filled + "·" * (BAR - filled) + f"] {done}/{total}"


def follow(factory: sessionmaker[Session], job_id: int, wait: bool, lang: Lang) -> JobState:
    """Print the job's progress (every change, while ``wait``) and return its state."""
    shown = None
    waited = time.monotonic()
    hinted = False
    while True:
        with factory() as session:
            job = service.job_for(session, None, job_id)
            state, stage, done, total = JobState(job.state), job.stage, job.done, job.total
            error = (job.error_code, job.error_detail or {})
        line = f"{_bar(done, total)} {stage_label(stage, lang)}"
        if line != shown:
            typer.echo(line, err=True)
            shown = line
        if state in FINISHED or not wait:
            break
        if (
            state is JobState.QUEUED
            and not hinted
            and time.monotonic() - waited > NO_WORKER_SECONDS
        ):
            typer.echo(TEXT["no_worker"][lang], err=True)
            hinted = True
        time.sleep(POLL_SECONDS)
    if state is JobState.FAILED and error[0] is not None:
        typer.echo(render(ErrorCode(error[0]), error[1], lang), err=True)
    return state


def write_result(factory: sessionmaker[Session], job_id: int, out: Path | None, lang: Lang) -> None:
    """Write the finished job's file to ``out`` (standard output when None)."""
    with factory() as session:
        found = repository.file_of(session, job_id, service.RESULT)
    if found is None:
        typer.echo(TEXT["no_file"][lang].format(job=job_id), err=True)
        return
    if out is None:
        sys.stdout.buffer.write(found.content)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(found.content)
        typer.echo(TEXT["wrote"][lang].format(out=out, size=len(found.content)), err=True)


def wait_and_write(
    factory: sessionmaker[Session], job_id: int, wait: bool, out: Path | None, lang: Lang
) -> None:
    """Follow the job; write its file once done; exit 2 when it failed."""
    state = follow(factory, job_id, wait, lang)
    if state is JobState.DONE:
        write_result(factory, job_id, out, lang)
    elif state is JobState.FAILED:
        raise typer.Exit(code=2)


@app.command("show")
def show_command(
    job_id: Annotated[int, typer.Argument(help="the job's number")],
    wait: Annotated[bool, typer.Option(help="follow its progress until it ends")] = False,
    out: Annotated[Path | None, typer.Option(help="where to write its file")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
) -> None:
    """A job's progress; with --wait follow it to the end and write its file."""
    engine = make_engine(Settings().resolved_database_url)
    try:
        wait_and_write(
            make_session_factory(engine), job_id, wait, out, "en" if lang == "en" else "vi"
        )
    finally:
        engine.dispose()


def worker_command(
    once: Annotated[
        bool, typer.Option(help="run the jobs waiting now, then stop (default: run until stopped)")
    ] = False,
) -> None:
    """Run the background jobs (report bundles, paper batches, household imports) from the
    database of RASOAT_DATABASE_URL until stopped (SIGTERM or Ctrl-C ends the job at hand
    first). Any number of workers may run at once on PostgreSQL."""
    worker = Worker.of(Settings())
    if once:
        worker.run_until_empty()
        return
    stop = threading.Event()

    def _stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    typer.echo(f"worker {worker.name}: waiting for jobs", err=True)
    worker.run(stop)
