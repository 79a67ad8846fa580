"""Screen behaviour without Kivy: each presenter turns the store, the shared engines and the
device facades into plain view models a screen draws, and takes the user's actions.

Work that finishes off the UI thread (camera, GPS, sync) calls back through ``UiDispatch``:
the app passes its one ``on_ui_thread`` helper, tests pass ``immediately``.
"""

import threading
from collections.abc import Callable
from typing import Any

UiDispatch = Callable[[Callable[..., None]], Callable[..., None]]


def immediately(callback: Callable[..., None]) -> Callable[..., None]:
    """Return ``callback`` unchanged: for tests and code already on the UI thread."""
    return callback


def off_ui_thread(
    work: Callable[[], Any],
    done: Callable[[Any, Exception | None], None],
    dispatch: UiDispatch,
    background: bool = True,
) -> None:
    """Run blocking ``work`` (a network call) on a worker thread, then ``done(result, error)``
    through ``dispatch``; with ``background`` False, run it here (tests)."""
    finish = dispatch(done)

    def run() -> None:
        try:
            result = work()
        except Exception as error:  # reported to the screen, never a crash of the app
            finish(None, error)
            return
        finish(result, None)

    if background:
        threading.Thread(target=run, name="online", daemon=True).start()
    else:
        run()


__all__ = ["UiDispatch", "immediately", "off_ui_thread"]
