"""What the drawn papers say: the minutes' signers by role, each above their printed name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from server.documents import content, render
from tests.server.review.conftest import read_paper


def test_the_minutes_have_a_signature_line_for_every_role_with_its_name(tmp_path: Path) -> None:
    line = content.Line("T1-001", "Lò Văn Páo", "Thôn Một", "Thôn Một", "poor", "")
    minutes = content.Minutes(
        place=content.Place("Tỉnh Thử", "Xã Thử", "Thôn Một"),
        year=2026,
        held_on=date(2026, 11, 5),
        chair_name="Lò Văn Xôm",
        secretary_name="Quàng Thị Hoa",
        front_supervisor="Cà Văn Lả",
        households_represented=41,
        others_present=3,
        votes=[content.VoteLine(line, 40, 44, True)],
    )
    text, _ = read_paper(render.minutes(minutes), "minutes-signatures", tmp_path)
    copies = text.split("BIÊN BẢN HỌP DÂN")[1:]
    assert len(copies) == 2
    for copy in copies:
        signatures = copy[copy.index("THƯ KÝ") :]
        for role in (
            "CHỦ TRÌ (TRƯỞNG THÔN)",
            "ĐẠI DIỆN BAN CÔNG TÁC MẶT TRẬN",
            "ĐẠI DIỆN CÁC HỘ DÂN",
        ):
            assert role in signatures
        # Names come after their roles, not only in the attendance lines above.
        for name in ("Quàng Thị Hoa", "Lò Văn Xôm", "Cà Văn Lả"):
            assert name in signatures
