"""The new screens of each role in the real app under Xvfb, screenshotted: the hamlet head's
registrations and meeting, the helping officer's households and visit, the commune officer's
survey queue (its API scripted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui


def test_each_role_finds_its_screens(x_display: str, tmp_path: Path, shots: Path) -> None:
    code, result = drive(x_display, "support", tmp_path / "data", shots / "support")
    assert code == 0
    assert result["registrable"]
    registration = result["registration"]
    assert isinstance(registration, dict)
    assert registration["registered_by"] == "Hoàng Văn Lực"
    assert result["verdict"] == "đạt (≥ 50%)"
    assert result["mine"] == 2
    assert result["visit_photo"]
    assert result["queue"] == ["KP-0011 · Hoàng Văn Đức", "KP-0012 · Hoàng Văn Đức"]
    names = {Path(str(shot)).name for shot in result["shots"]}  # type: ignore[attr-defined]
    assert len(names) == 9
