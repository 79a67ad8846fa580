"""The Android entry point: the soft keyboard keeps the focused field in view, the data lives in
the app's private storage."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pytest

import mobile.__main__
from mobile.android import start
from tests.mobile.facades.fake_android import Device


def test_the_app_starts_with_the_keyboard_below_the_field_in_private_storage(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = types.SimpleNamespace(softinput_mode="")
    seen: list[tuple[str, Path]] = []
    fake_window_module = types.ModuleType("kivy.core.window")
    fake_window_module.Window = window  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kivy.core.window", fake_window_module)
    monkeypatch.setattr(
        mobile.__main__, "run", lambda data_dir: seen.append((window.softinput_mode, data_dir))
    )
    start.main()
    assert seen == [("below_target", device.cache_dir.parent / "files" / "rasoat")]


def test_the_keyboard_mode_is_one_kivy_knows() -> None:
    # Importing kivy.core.window opens a window, so the property's options are read from source.
    spec = importlib.util.find_spec("kivy.core.window")
    assert spec is not None
    assert spec.origin is not None
    source = Path(spec.origin).read_text("utf-8")
    declaration = source.split("softinput_mode = OptionProperty(", 1)[1].split(")", 1)[0]
    assert f"'{start.SOFT_INPUT_MODE}'" in declaration
