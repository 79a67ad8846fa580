"""Start the tablet app on Android: the app's private files directory as the data directory, and
the soft keyboard kept below the field being typed into."""

from __future__ import annotations

from pathlib import Path

# Kivy pans the window so the focused TextInput sits just above the keyboard; "pan" would lift
# the whole page by the keyboard's height even for a field at the top, and "resize" does not
# work with SDL2 on Android (Kivy's Window.softinput_mode documentation).
SOFT_INPUT_MODE = "below_target"


def keep_fields_above_keyboard() -> None:
    """Set the window's soft-keyboard mode (creates Kivy's window if it does not exist yet)."""
    from kivy.core.window import Window

    Window.softinput_mode = SOFT_INPUT_MODE


def data_dir() -> Path:
    """Return the app's private storage: removed with the app, never in Android's backup."""
    from android.storage import app_storage_path

    return Path(app_storage_path()) / "rasoat"


def main() -> None:
    """Run the app as python-for-android starts it (``main.py`` at the root of the APK)."""
    from mobile.__main__ import run
    from mobile.app.env import prepare

    prepare()
    keep_fields_above_keyboard()
    run(data_dir())
