"""The commune's gap to its targets as a workbook, headings in Vietnamese: one row per area
(the commune first, then its hamlets) with the units to budget and the what-if; a second sheet
with each service target per area, counted in its unit (households, persons or children)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from server.reports.gap import CommuneGap
from shared.exit.actions import load_actions
from shared.exit.gap import AreaGap, unit_label
from shared.vocabulary import TARGET_UNIT_LABELS, TargetUnit


def gap_xlsx(gap: CommuneGap) -> bytes:
    """Return the gap as a workbook: the gap per area, and the service targets per area."""
    areas: list[AreaGap] = [gap.commune, *gap.hamlets]
    counted: dict[str, TargetUnit] = {}
    for area in areas:
        counted.update(area.counted_in)
    indicators = sorted(counted, key=load_actions().order)
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
            *(f"Số {unit_label(i, counted[i], 'vi')}" for i in indicators),
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
    services = book.create_sheet("Chi tieu dich vu")
    services.append([f"Chỉ tiêu tiếp cận dịch vụ xã hội cơ bản năm {gap.year}, theo đơn vị"])
    services["A1"].font = Font(bold=True, size=12)
    services.append(
        [
            "Mã",
            "Địa bàn",
            "Chỉ tiêu",
            "Đơn vị",
            "Số hộ",
            "Tổng số",
            "Đạt hiện nay",
            "Cần đạt",
            "Cần hỗ trợ",
            "Đạt sau khi làm hết",
            "Tỷ lệ sau (%)",
        ]
    )
    for cell in services[2]:
        cell.font = Font(bold=True)
    for area in areas:
        for target in area.services:
            services.append(
                [
                    area.code,
                    area.name,
                    target.title,
                    TARGET_UNIT_LABELS[target.unit]["vi"],
                    target.households,
                    target.total,
                    target.reached,
                    target.required,
                    target.actions,
                    target.reached_after,
                    target.percent_after,
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
