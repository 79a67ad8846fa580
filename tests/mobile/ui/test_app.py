"""The real app under Xvfb, each run in its own process (so one can be killed mid-form).

Screenshots of every screen land in ``$RASOAT_SCREENSHOTS`` (default: the test's tmp dir).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui


def test_an_enumerator_fills_a_household_of_four_and_syncs(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    code, result = drive(x_display, "fill", tmp_path / "data", shots / "landscape")
    assert code == 0
    assert result["preview_class"] == "Hộ nghèo"
    assert result["errors"] == []
    assert result["sync_message"] == "Đồng bộ xong: gửi 1 và 3 ảnh, nhận 0."
    assert result["back_from_detail"] == ["households", "108/2000 hộ"]
    assert result["commune"] == "Xã Tân Lập"
    assert len(result["shots"]) == 13  # type: ignore[arg-type]
    assert result["outbox"] == [f"Phiếu rà soát: {result['household_code']}"]
    assert result["finished_action"] == "Sửa phiếu đã hoàn thành"


def test_a_draft_survives_the_app_being_killed(x_display: str, tmp_path: Path, shots: Path) -> None:
    data = tmp_path / "data"
    code, killed = drive(x_display, "kill", data, tmp_path / "killed")
    assert code == 9, "the app was meant to die mid-form"
    code, resumed = drive(x_display, "resume", data, shots / "resumed")
    assert code == 0
    assert resumed["survey_id"] == killed["survey_id"]
    assert resumed["names"] == ["Hoàng Văn Đức", "Lò Thị Mai", "Hoàng Thị Lan", "Hoàng Văn Minh"]
    assert resumed["position"]["page"] == 1  # type: ignore[index]
    assert resumed["back_to"] == "home", "back from a household opened from the drafts"
    assert resumed["asks_to_leave"]
    assert resumed["stayed"]
    assert resumed["preview_class"] == "Hộ nghèo"


def test_the_screens_fit_a_portrait_tablet(
    portrait_display: str, tmp_path: Path, shots: Path
) -> None:
    code, result = drive(
        portrait_display, "fill", tmp_path / "data", shots / "portrait", "800x1280"
    )
    assert code == 0
    assert result["preview_class"] == "Hộ nghèo"
