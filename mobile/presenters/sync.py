"""The sync screen: a progress bar per phase, a plain message at the end, conflicts side by side.

The run blocks, so it goes on a worker thread; its progress and outcome come back through the
UI dispatch. The store logs each finished run (the home screen shows the age of the last good
one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from mobile.i18n import Lang, tr
from mobile.presenters import UiDispatch, immediately
from mobile.sync_port import PHASES, Conflict, Failure, Outcome, Phase, Progress, SyncPort


@dataclass(frozen=True)
class PhaseView:
    phase: Phase
    title: str
    fraction: float
    text: str


@dataclass(frozen=True)
class ConflictView:
    household_code: str
    what: str
    rows: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class SyncView:
    running: bool
    phases: tuple[PhaseView, ...]
    message: str
    ok: bool | None
    conflicts: tuple[ConflictView, ...]
    conflict_note: str = ""


_FAILURE_TEXT = {
    Failure.OFFLINE: "err_offline",
    Failure.AUTH: "err_auth",
    Failure.DEVICE_REVOKED: "err_device_revoked",
    Failure.SERVER: "err_server",
}


def _kb(count: int) -> str:
    return f"{count / 1024:.0f} kB" if count >= 1024 else f"{count} B"


class SyncPresenter:
    """Start runs and keep their state; ``changed`` is called on the UI thread."""

    def __init__(
        self,
        port: SyncPort,
        record: Callable[[Outcome], None],
        lang: Lang = "vi",
        dispatch: UiDispatch = immediately,
        background: bool = True,
    ) -> None:
        self.port = port
        self.record = record
        self.lang = lang
        self.dispatch = dispatch
        self.background = background
        self.changed: Callable[[], None] = lambda: None
        self.running = False
        self.progress: dict[Phase, Progress] = {}
        self.outcome: Outcome | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start a run unless one is going; return whether it started."""
        if self.running:
            return False
        self.running = True
        self.progress.clear()
        self.outcome = None
        self.changed()
        on_progress = self.dispatch(self._on_progress)
        on_finished = self.dispatch(self._on_finished)

        def run() -> None:
            try:
                outcome = self.port.start(on_progress)
            except Exception as error:  # the engine failed: report it, never crash the app
                outcome = Outcome(ok=False, failure=Failure.SERVER, detail=str(error))
            on_finished(outcome)

        if self.background:
            self.thread = threading.Thread(target=run, name="sync", daemon=True)
            self.thread.start()
        else:
            run()
        return True

    def _on_progress(self, progress: Progress) -> None:
        self.progress[progress.phase] = progress
        self.changed()

    def _on_finished(self, outcome: Outcome) -> None:
        self.running = False
        self.outcome = outcome
        self.record(outcome)
        self.changed()

    def view(self) -> SyncView:
        """Return what the sync screen shows."""
        phases = []
        for phase in PHASES:
            found = self.progress.get(phase)
            title = tr(f"phase_{phase.value}", self.lang)
            if found is None:
                phases.append(PhaseView(phase, title, 0.0, tr("phase_waiting", self.lang)))
                continue
            total = max(found.items_total, 1)
            fraction = min(found.items_done / total, 1.0) if found.items_total else 1.0
            text = f"{found.items_done}/{found.items_total}"
            if found.bytes_total:
                text += f" · {_kb(found.bytes_done)}/{_kb(found.bytes_total)}"
            phases.append(PhaseView(phase, title, fraction, text))
        conflicts = tuple(self._conflict(c) for c in self.outcome.conflicts) if self.outcome else ()
        return SyncView(
            self.running,
            tuple(phases),
            self._message(),
            None if self.outcome is None else self.outcome.ok,
            conflicts,
            # Only a commune officer may settle a conflict (the server's resolve_conflicts).
            tr("conflict_officer", self.lang) if conflicts else "",
        )

    def _message(self) -> str:
        if self.running:
            return tr("sync_busy", self.lang)
        outcome = self.outcome
        if outcome is None:
            return ""
        if outcome.ok:
            # ``sent`` counts records and photos; the message names the photos apart.
            text = tr(
                "sync_ok_photos" if outcome.photos else "sync_ok",
                self.lang,
                sent=outcome.sent - outcome.photos,
                photos=outcome.photos,
                received=outcome.received,
            )
            if outcome.rejected:
                text += " " + tr("err_rejected", self.lang, n=outcome.rejected)
            if outcome.photos_refused:
                text += " " + tr("err_photos_refused", self.lang, n=outcome.photos_refused)
            return text
        key = _FAILURE_TEXT.get(outcome.failure or Failure.SERVER, "err_server")
        return tr("sync_failed", self.lang, message=tr(key, self.lang))

    def _conflict(self, conflict: Conflict) -> ConflictView:
        fields = list(dict.fromkeys([*conflict.mine, *conflict.theirs]))
        rows = tuple(
            (
                field_label(name, self.lang),
                _shown(conflict.mine.get(name)),
                _shown(conflict.theirs.get(name)),
            )
            for name in fields
            if conflict.mine.get(name) != conflict.theirs.get(name)
        )
        return ConflictView(conflict.household_code, conflict.what, rows)


def field_label(path: str, lang: Lang) -> str:
    """Return a household field's path (``members/2/birth_date``) in people's words; an
    unknown one as it is."""
    parts = path.split("/")
    if parts[0] == "members" and len(parts) >= 2:
        member = tr("field_member", lang, no=parts[1])
        return member if len(parts) == 2 else f"{member}: {field_label(parts[2], lang)}"
    try:
        return tr(f"field_{path}", lang)
    except KeyError:
        return path


def _shown(value: object) -> str:
    """Return a field's value for people: a whole member as its filled-in fields."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, "")) or "—"
    return str(value)
