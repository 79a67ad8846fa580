"""The worker: takes the oldest waiting job under a lease, runs its task, and ends it done
(with its file, in one transaction) or failed (with a catalog error).

A worker renews its lease every third of ``lease_seconds`` from a heartbeat thread, which
also writes the task's progress (at most twice a second). A worker that dies stops renewing;
once its lease runs out the next worker takes the job again, up to ``max_attempts`` times in
all, then ends it failed with JOB_ABANDONED (a job that kills every worker taking it must not
take the queue down with it). The claim token makes a worker that lost its job (paused past
its lease) unable to end it: only the holder of the current claim writes the result.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from server.audit import seal
from server.auth import repository as users
from server.auth.policy import Principal
from server.auth.service import principal_of
from server.db import READ_ONLY, make_engine, make_session_factory, utcnow
from server.jobs import repository
from server.jobs.models import Job, JobFile
from server.jobs.service import INPUT, RESULT
from server.jobs.tasks import TASKS, Context, Made
from server.jobs.vocabulary import JobKind, JobState
from server.settings import Settings
from shared.errors import ErrorCode, RasoatError

log = logging.getLogger("rasoat.jobs")

# How often the heartbeat writes progress that changed.
PROGRESS_SECONDS = 0.5
# How often an idle worker deletes the finished jobs past their keeping time.
PURGE_SECONDS = 3600.0


class LeaseLostError(Exception):
    """Another worker holds the job now: this one's lease ran out."""


@dataclass(frozen=True)
class Claimed:
    """A job this worker holds under ``claim``."""

    job_id: int
    claim: str
    kind: JobKind
    params: dict[str, Any]
    commune_id: int
    requested_by: int | None
    device_id: int | None


@dataclass
class _Beat:
    """The task's latest progress, shared with the heartbeat thread."""

    stage: str = "started"
    done: int = 0
    total: int = 0
    changed: bool = True
    lost: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self, stage: str, done: int, total: int) -> None:
        """Record the task's progress; raise LeaseLostError once another worker holds the
        job, so the task stops early."""
        with self.lock:
            if self.lost:
                raise LeaseLostError
            self.stage, self.done, self.total, self.changed = stage, done, total, True

    def take(self) -> tuple[bool, dict[str, Any]]:
        """Return whether the progress changed since the last take, and its columns."""
        with self.lock:
            changed, self.changed = self.changed, False
            return changed, {"stage": self.stage, "done": self.done, "total": self.total}


def _plain(detail: dict[str, Any]) -> dict[str, Any]:
    """Return an error's detail as JSON holds it (dates and codes as text)."""
    plain: dict[str, Any] = json.loads(json.dumps(detail, default=str))
    return plain


class Worker:
    """Runs jobs from the database ``factory`` opens; tasks read through ``read_factory``
    (deferred transactions on SQLite; the same factory elsewhere). With ``heartbeat`` False
    the lease and progress are written from the task's own thread as it reports (tests whose
    sessions share one connection, which a second thread may not use)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        read_factory: sessionmaker[Session] | None = None,
        *,
        lease_seconds: float = 30.0,
        max_attempts: int = 3,
        keep_days: int = 7,
        heartbeat: bool = True,
    ) -> None:
        self.factory = factory
        self.read_factory = read_factory or factory
        self.lease = timedelta(seconds=lease_seconds)
        self.max_attempts = max_attempts
        self.keep = timedelta(days=keep_days)
        self.heartbeat = heartbeat
        self.name = uuid.uuid4().hex[:12]
        self._purged = 0.0

    @classmethod
    def of(cls, settings: Settings) -> Worker:
        """Return a worker on the settings' database, its writes sealed like the API's."""
        engine = make_engine(settings.resolved_database_url)
        factory = make_session_factory(engine)
        seal.install(factory, seal.Seal.of(settings))
        read_factory = make_session_factory(engine.execution_options(**{READ_ONLY: True}))
        return cls(
            factory,
            read_factory,
            lease_seconds=settings.job_lease_seconds,
            max_attempts=settings.job_max_attempts,
            keep_days=settings.job_keep_days,
        )

    # ------------------------------------------------------------------ claiming and ending

    def claim(self) -> Claimed | None:
        """Take the oldest waiting job (or one whose lease ran out); None when there is none.
        A job whose lease ran out ``max_attempts`` times ends failed instead."""
        with self.factory() as session:
            while True:
                now = utcnow()
                job = repository.next_claimable(session, now)
                if job is None:
                    session.commit()
                    return None
                if job.state == JobState.RUNNING.value and job.attempts >= self.max_attempts:
                    log.warning("job %s abandoned after %s attempts", job.id, job.attempts)
                    self._end(session, job, JobState.FAILED, now)
                    job.error_code = ErrorCode.JOB_ABANDONED.value
                    job.error_detail = {"job": job.id, "attempts": job.attempts}
                    session.flush()
                    continue
                if job.state == JobState.RUNNING.value:
                    log.warning("job %s taken again: its worker's lease ran out", job.id)
                token = f"{self.name}-{uuid.uuid4().hex[:16]}"
                job.state = JobState.RUNNING.value
                job.claim = token
                job.attempts += 1
                job.lease_until = now + self.lease
                job.started_at = job.started_at or now
                job.stage, job.done = "started", 0
                claimed = Claimed(
                    job.id,
                    token,
                    JobKind(job.kind),
                    dict(job.params),
                    job.commune_id,
                    job.requested_by,
                    job.device_id,
                )
                session.commit()
                return claimed

    def _end(self, session: Session, job: Job, state: JobState, now: datetime) -> None:
        job.state = state.value
        job.stage = "done" if state is JobState.DONE else "failed"
        job.finished_at = now
        job.claim = None
        job.lease_until = None
        repository.drop_file(session, job.id, INPUT)

    def _complete(self, session: Session, claimed: Claimed, beat: _Beat, made: Made) -> None:
        """Mark the job done with what the task made, in ``session``'s transaction; raise
        LeaseLostError when another worker holds it now."""
        job = repository.held(session, claimed.job_id, claimed.claim)
        if job is None:
            raise LeaseLostError
        self._end(session, job, JobState.DONE, utcnow())
        job.total = max(beat.total, 1)
        job.done = job.total
        job.result = made.result
        if made.file is not None:
            name, media_type, content = made.file
            repository.add(
                session,
                JobFile(
                    job_id=job.id,
                    purpose=RESULT,
                    filename=name,
                    media_type=media_type,
                    content=content,
                ),
            )

    def _fail(self, claimed: Claimed, code: ErrorCode, detail: dict[str, Any]) -> None:
        with self.factory() as session:
            job = repository.held(session, claimed.job_id, claimed.claim)
            if job is None:
                return
            self._end(session, job, JobState.FAILED, utcnow())
            job.error_code = code.value
            job.error_detail = _plain(detail)
            session.commit()

    # ------------------------------------------------------------------ running

    def _renew(self, claimed: Claimed, progress: dict[str, Any]) -> bool:
        with self.factory() as session:
            held = repository.renew(
                session,
                claimed.job_id,
                claimed.claim,
                {"lease_until": utcnow() + self.lease, **progress},
            )
            session.commit()
        return held

    def _beat(self, claimed: Claimed, beat: _Beat, stop: threading.Event) -> None:
        """Renew the lease every third of it and write progress that changed, until
        ``stop``; mark the beat lost when another worker holds the job."""
        renewed = time.monotonic()
        every = min(PROGRESS_SECONDS, self.lease.total_seconds() / 3)
        while not stop.wait(every):
            changed, progress = beat.take()
            if not changed and time.monotonic() - renewed < self.lease.total_seconds() / 3:
                continue
            try:
                held = self._renew(claimed, progress)
            except SQLAlchemyError as exc:
                # SQLite's write lock held past its busy timeout by a long import: try again.
                log.warning("job %s: heartbeat not written (%s)", claimed.job_id, exc)
                with beat.lock:
                    beat.changed = True
                continue
            renewed = time.monotonic()
            if not held:
                with beat.lock:
                    beat.lost = True
                return

    def _principal(self, claimed: Claimed) -> Principal | None:
        """Return the principal the job runs as, rebuilt from its user now."""
        if claimed.requested_by is None:
            return None
        with self.read_factory() as session:
            user = users.user(session, claimed.requested_by)
            if user is None or not user.active:
                raise RasoatError(ErrorCode.NOT_AUTHENTICATED)
            return principal_of(user, claimed.device_id or 0)

    def _input(self, claimed: Claimed) -> tuple[str, bytes] | None:
        with self.read_factory() as session:
            found = repository.file_of(session, claimed.job_id, INPUT)
            return None if found is None else (found.filename, found.content)

    def run_one(self) -> int | None:
        """Run the next job to its end; return its id, or None when no job waits."""
        claimed = self.claim()
        if claimed is None:
            return None
        beat = _Beat()
        stop = threading.Event()
        completed: list[bool] = []

        def report(stage: str, done: int, total: int) -> None:
            beat.report(stage, done, total)
            if not self.heartbeat:
                _, progress = beat.take()
                if not self._renew(claimed, progress):
                    raise LeaseLostError

        def complete(session: Session, made: Made) -> None:
            self._complete(session, claimed, beat, made)
            completed.append(True)

        thread = threading.Thread(
            target=self._beat, args=(claimed, beat, stop), name=f"job-{claimed.job_id}-beat"
        )
        if self.heartbeat:
            thread.start()
        try:
            context = Context(
                params=claimed.params,
                principal=self._principal(claimed),
                commune_id=claimed.commune_id,
                read=self.read_factory,
                write=self.factory,
                progress=report,
                complete=complete,
                input=self._input(claimed),
            )
            made = TASKS[claimed.kind](context)
            stop.set()
            if thread.is_alive():
                thread.join()
            if not completed:
                with self.factory() as session:
                    self._complete(session, claimed, beat, made)
                    session.commit()
        except LeaseLostError:
            log.warning("job %s: lost to another worker; its result is dropped", claimed.job_id)
        except RasoatError as exc:
            self._fail(claimed, exc.code, exc.detail)
        except Exception:
            log.exception("job %s failed", claimed.job_id)
            self._fail(claimed, ErrorCode.INTERNAL_ERROR, {})
        finally:
            stop.set()
            if thread.is_alive():
                thread.join()
        return claimed.job_id

    def run_until_empty(self) -> list[int]:
        """Run jobs until none waits; return their ids."""
        ran = []
        while (job_id := self.run_one()) is not None:
            ran.append(job_id)
        return ran

    def purge(self) -> int:
        """Delete the finished jobs past their keeping time; return how many."""
        with self.factory() as session:
            gone = repository.purge(session, utcnow() - self.keep)
            session.commit()
        return gone

    def run(self, stop: threading.Event, idle_seconds: float = 1.0) -> None:
        """Run jobs until ``stop`` is set, looking for new ones every ``idle_seconds`` when
        the queue is empty. A database that does not answer is waited for, not fatal."""
        log.info("worker %s started", self.name)
        while not stop.is_set():
            try:
                if self.run_one() is not None:
                    continue
                if time.monotonic() - self._purged > PURGE_SECONDS:
                    self._purged = time.monotonic()
                    if gone := self.purge():
                        log.info("deleted %s finished jobs", gone)
            except SQLAlchemyError as exc:
                log.warning("worker %s: database unavailable (%s)", self.name, exc)
            stop.wait(idle_seconds)
        log.info("worker %s stopped", self.name)


def start_in_thread(settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """Start a worker in a thread of this process (the embedded default: ``rasoat serve``
    with no separate worker); return the thread and the event that stops it."""
    stop = threading.Event()
    worker = Worker.of(settings)
    thread = threading.Thread(target=worker.run, args=(stop,), name="rasoat-jobs", daemon=True)
    thread.start()
    return thread, stop
