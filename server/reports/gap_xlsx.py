"""The commune's gap to its targets as a workbook: one row per area (the commune first, then
its hamlets), the units to budget and the what-if, headings in Vietnamese."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from server.reports.gap import CommuneGap
from shared.exit.actions import load_actions
from shared.exit.gap import AreaGap


def _unit(indicator: str) -> str:
    action = load_actions().actions[indicator]
    # The gap counts member-level help in households (shared/exit/gap.py).
    unit = action.unit_households if action.per == "member" else action.unit
    return (unit or action.unit)["vi"]


def gap_xlsx(gap: CommuneGap) -> bytes:
    """Return the gap as a one-sheet workbook."""
    areas: list[AreaGap] = [gap.commune, *gap.hamlets]
    indicators = sorted({i for area in areas for i in area.units}, key=load_actions().order)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Khoang cach"
    sheet.append([f"Khoảng cách đến chỉ tiêu năm {gap.year}: {gap.commune.name}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(
        [
            "Mã",
            "Địa bàn",
            "Số hộ",
            "Hộ nghèo",
            "Chỉ tiêu hộ nghèo",
            "Số hộ cần thoát nghèo",
            *(f"Số {_unit(i)}" for i in indicators),
            "Hộ nghèo sau khi làm hết",
            "Tỷ lệ nghèo sau (%)",
            "Hộ cận nghèo sau",
            "Tỷ lệ cận nghèo sau (%)",
            "Số hộ thoát nghèo",
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for area in areas:
        what_if = area.what_if
        sheet.append(
            [
                area.code,
                area.name,
                area.households,
                area.poor,
                area.poor_target,
                area.to_lift,
                *(area.units.get(i, 0) for i in indicators),
                what_if.poor,
                what_if.poor_rate,
                what_if.near_poor,
                what_if.near_poor_rate,
                what_if.leave_poverty,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
