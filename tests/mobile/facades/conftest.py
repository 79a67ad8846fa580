"""The fake Android device: pyjnius's ``jnius`` and python-for-android's ``android`` modules,
recorded (fake_android.py), installed for one test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.mobile.facades.fake_android import Device, install


@pytest.fixture
def device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Device:
    fake = Device(cache_dir=tmp_path / "cache")
    fake.cache_dir.mkdir()
    for name, module in install(fake).items():
        monkeypatch.setitem(sys.modules, name, module)
    return fake
