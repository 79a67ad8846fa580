"""The words of the job queue: its kinds, states and stages, with the stages' labels in
Vietnamese (the console and the command line show them) and English."""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Lang


class JobKind(StrEnum):
    REPORT_BUNDLE = "report_bundle"
    PAPER_BATCH = "paper_batch"
    HOUSEHOLD_IMPORT = "household_import"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


FINISHED = frozenset({JobState.DONE, JobState.FAILED})

STAGES: dict[str, dict[Lang, str]] = {
    "queued": {"vi": "Đang chờ đến lượt", "en": "Waiting for its turn"},
    "started": {"vi": "Bắt đầu", "en": "Starting"},
    "hamlet_table": {"vi": "Lập bảng theo thôn", "en": "Hamlet table"},
    "targets": {"vi": "Tính tiến độ chỉ tiêu", "en": "Progress towards the targets"},
    "deprivations": {"vi": "Thống kê thiếu hụt", "en": "Deprivation statistics"},
    "lists": {"vi": "Lập danh sách hộ", "en": "Household lists"},
    "trend": {"vi": "Số liệu các năm", "en": "Figures of past years"},
    "charts": {"vi": "Vẽ biểu đồ", "en": "Drawing the charts"},
    "render": {"vi": "Xuất tệp", "en": "Writing the file"},
    "posting": {"vi": "In danh sách niêm yết", "en": "Posting lists"},
    "minutes": {"vi": "In biên bản họp", "en": "Meeting minutes"},
    "applications": {"vi": "In giấy đề nghị", "en": "Applications"},
    "certificates": {"vi": "In giấy chứng nhận", "en": "Certificates"},
    "decision": {"vi": "In quyết định", "en": "Decision"},
    "packing": {"vi": "Đóng gói các giấy tờ", "en": "Packing the papers"},
    "reading": {"vi": "Đọc tệp và kiểm tra từng dòng", "en": "Reading and checking the rows"},
    "writing": {"vi": "Ghi vào sổ hộ", "en": "Writing the registry"},
    "done": {"vi": "Xong", "en": "Done"},
    "failed": {"vi": "Không thành công", "en": "Failed"},
}


def stage_label(stage: str, lang: Lang = "vi") -> str:
    """Return the words for ``stage`` in ``lang`` (the key itself for a stage not listed)."""
    return STAGES.get(stage, {}).get(lang, stage)
