"""Environment Kivy must see before it is imported: no argv parsing, Python logging, no audio
probing, no writes to the user's ~/.kivy when running headless."""

from __future__ import annotations

import os


def prepare(headless: bool = False) -> None:
    """Set Kivy's environment variables (existing values win)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_AUDIO", "")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if headless:
        os.environ.setdefault("KIVY_NO_CONFIG", "1")
        os.environ.setdefault("KIVY_GL_BACKEND", "sdl2")
