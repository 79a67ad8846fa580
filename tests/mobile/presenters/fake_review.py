"""The review API as the screens see it, scripted: for the presenter tests and the UI
driver's screenshots."""

from __future__ import annotations

from typing import Any

from mobile.review_api import OnlineError

ROUND = {"id": 3, "procedure": "annual", "year": 2025, "status": "open", "meeting": True}
CLOSED = {**ROUND, "id": 2, "year": 2024, "status": "recognised"}


def _case(case_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": case_id,
        "household_code": f"KP-{case_id:04d}",
        "head_name": "Hoàng Văn Đức",
        "hamlet_id": 1,
        "hamlet_name": "Thôn Khuổi Phầy 2",
        "state": "surveyed",
        "state_label": "Đã rà soát",
        "allowed_actions": ["start_review", "withdraw"],
        "previous_class": "near_poor",
        "engine_class": "poor",
        "final_class": "poor",
        "overridden": False,
        "change_label": "Từ cận nghèo thành nghèo",
        "deprivations": [{"indicator": "latrine", "reason": "Nhà tiêu đơn giản"}],
        "photos": [{"sha256": "ab" * 32}],
        "geofence_distance_m": 412.4,
        "comments": [],
        **fields,
    }


class FakeReview:
    """The server's review API as the screens see it; ``offline`` makes every call fail."""

    def __init__(self) -> None:
        self.queued = [_case(11), _case(12, state="under_review", geofence_distance_m=None)]
        self.accepted = [_case(21, state="accepted", final_class="near_poor"), _case(22)]
        self.accepted[1]["hamlet_id"] = 2
        self.calls: list[tuple[str, Any]] = []
        self.offline = False

    def _call(self, name: str, argument: Any = None) -> None:
        if self.offline:
            raise OnlineError("offline")
        self.calls.append((name, argument))

    def rounds(self) -> list[dict[str, Any]]:
        self._call("rounds")
        return [ROUND, CLOSED]

    def queue(self, round_id: int) -> list[dict[str, Any]]:
        self._call("queue", round_id)
        return list(self.queued)

    def cases(self, round_id: int, state: str) -> list[dict[str, Any]]:
        self._call("cases", (round_id, state))
        return list(self.accepted)

    def accept(self, case_id: int) -> dict[str, Any]:
        self._call("accept", case_id)
        self.queued = [c for c in self.queued if c["id"] != case_id]
        return {}

    def return_case(self, case_id: int, comments: list[dict[str, str]]) -> dict[str, Any]:
        self._call("return", (case_id, comments))
        self.queued = [c for c in self.queued if c["id"] != case_id]
        return {}

    def record_meeting(self, round_id: int, attendance: dict[str, Any]) -> dict[str, Any]:
        self._call("meeting", (round_id, attendance))
        return {"id": 5}

    def vote(self, meeting_id: int, votes: list[dict[str, int]]) -> dict[str, Any]:
        self._call("vote", (meeting_id, votes))
        return {"votes": [{"case_id": v["case_id"], "passed": v["agree"] >= 10} for v in votes]}
