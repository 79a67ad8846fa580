"""Screen behaviour without Kivy: each presenter turns the store, the shared engines and the
device facades into plain view models a screen draws, and takes the user's actions.

Work that finishes off the UI thread (camera, GPS, sync) calls back through ``UiDispatch``:
the app passes its one ``on_ui_thread`` helper, tests pass ``immediately``.
"""

from collections.abc import Callable

UiDispatch = Callable[[Callable[..., None]], Callable[..., None]]


def immediately(callback: Callable[..., None]) -> Callable[..., None]:
    """Return ``callback`` unchanged: for tests and code already on the UI thread."""
    return callback


__all__ = ["UiDispatch", "immediately"]
