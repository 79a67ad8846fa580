"""What the sync screen needs from the sync engine, and nothing more.

The engine (``mobile/sync``, built separately over an injected ``httpx.Client``) sends finished
surveys and photos and receives hamlets, households and returned surveys. The screen only
starts a run and shows its progress and outcome; ``SyncPort`` is that seam. ``FakeSync`` plays a
scripted run for tests and demos; ``mobile.sync.bridge.EngineSync`` is the real one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Phase(StrEnum):
    SEND_RECORDS = "send_records"
    SEND_PHOTOS = "send_photos"
    RECEIVE_UPDATES = "receive_updates"


PHASES: tuple[Phase, ...] = (Phase.SEND_RECORDS, Phase.SEND_PHOTOS, Phase.RECEIVE_UPDATES)


class Failure(StrEnum):
    """Why a run stopped, in the words the screen turns into a plain message."""

    OFFLINE = "offline"
    AUTH = "auth"
    DEVICE_REVOKED = "device_revoked"
    SERVER = "server"


@dataclass(frozen=True)
class Progress:
    """How far one phase is: items and bytes done out of the totals (0 when unknown)."""

    phase: Phase
    items_done: int
    items_total: int
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass(frozen=True)
class Conflict:
    """A record changed both here and on the server since the last sync: both versions, as
    flat field → value mappings for display."""

    household_code: str
    what: str
    mine: dict[str, Any]
    theirs: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    sent: int = 0
    received: int = 0
    rejected: int = 0
    failure: Failure | None = None
    detail: str = ""
    conflicts: tuple[Conflict, ...] = ()
    # Photos the server would not take from this user (403): kept on the tablet, sent again
    # by later runs.
    photos_refused: int = 0
    # Of ``sent``, the photos the server took in this run (resumed uploads included).
    photos: int = 0


ProgressCallback = Callable[[Progress], None]


class SyncPort(Protocol):
    """Run one sync; blocking, called off the UI thread; reports progress as it goes."""

    def start(self, progress: ProgressCallback) -> Outcome: ...


@dataclass
class FakeSync:
    """Replays ``steps`` (phase, items total) with a short pause each, then returns ``outcome``."""

    outcome: Outcome = field(default_factory=lambda: Outcome(ok=True, sent=1, received=0))
    steps: Sequence[tuple[Phase, int]] = (
        (Phase.SEND_RECORDS, 2),
        (Phase.SEND_PHOTOS, 3),
        (Phase.RECEIVE_UPDATES, 1),
    )
    pause_s: float = 0.0
    runs: int = 0

    def start(self, progress: ProgressCallback) -> Outcome:
        self.runs += 1
        for phase, total in self.steps:
            for done in range(total + 1):
                progress(Progress(phase, done, total, done * 1000, total * 1000))
                if self.pause_s:
                    time.sleep(self.pause_s)
            if self.outcome.failure is not None and phase == self.steps[-1][0]:
                break
        return self.outcome
