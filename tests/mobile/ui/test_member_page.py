"""A member's page in the real app under Xvfb: the facts of Decision 24's forms (ethnicity,
citizen identity number with its date and place of issue, residences, activity, labour
capacity, social allowance, revolutionary merit) in Vietnamese, typed and saved as an edit of
the sync outbox; the screenshot is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui


def test_the_member_page_shows_and_saves_the_new_facts_in_vietnamese(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    code, result = drive(x_display, "member", tmp_path / "data", shots / "member", timeout=120)
    assert code == 0
    assert result["problems"] == []
    assert result["labels"] == [
        "Số định danh cá nhân",
        "Ngày cấp",
        "Nơi cấp",
        "Dân tộc",
        "Nơi thường trú",
        "Nơi ở hiện tại",
        "Tình trạng hiện nay",
        "Không có khả năng lao động",
        "Trợ cấp xã hội hằng tháng (đồng)",
        "Người có công với cách mạng",
    ]
    assert result["message"] == "Đã lưu"
    edits = result["edits"]
    assert isinstance(edits, list)
    assert len(edits) == 1
    edit: dict[str, object] = edits[0]
    assert edit["members/1/ethnicity"] == "02"
    assert edit["members/1/national_id_issued_on"] == "2021-06-10"
    assert edit["members/1/monthly_social_allowance_vnd"] == 540_000
    assert edit["members/1/revolutionary_merit"] is True
    assert (shots / "member" / "member-page-vi-1280x800.png").exists()
