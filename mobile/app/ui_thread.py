"""The one way background work gets back to the UI: ``on_ui_thread`` (Electrum's
``@mainthread`` pattern). Widgets may only be touched from Kivy's main loop."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock


def on_ui_thread(callback: Callable[..., None]) -> Callable[..., None]:
    """Return a function that runs ``callback`` with its arguments on the next frame of the UI
    thread, whichever thread calls it."""

    @functools.wraps(callback)
    def post(*args: Any, **kwargs: Any) -> None:
        Clock.schedule_once(lambda _dt: callback(*args, **kwargs), 0)

    return post
