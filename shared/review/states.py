"""A review case's states and the only transitions allowed between them (Decision
24/2021/QĐ-TTg, Art. 4–6; Decree 07/2021/NĐ-CP for average-living-standard households).

A procedure with a hamlet meeting goes accepted → voted → posted; one without (the
application-based procedures) goes accepted → posted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from shared.errors import ErrorCode, RasoatError


class CaseState(StrEnum):
    LISTED = "listed"
    SURVEYED = "surveyed"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    RESURVEYED = "resurveyed"
    ACCEPTED = "accepted"
    VOTED = "voted"
    POSTED = "posted"
    COMPLAINT = "complaint"
    RECHECKED = "rechecked"
    RECOGNISED = "recognised"
    CERTIFIED = "certified"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SURVEY = "survey"
    START_REVIEW = "start_review"
    RETURN = "return"
    ACCEPT = "accept"
    VOTE_PASSED = "vote_passed"
    VOTE_FAILED = "vote_failed"
    POST = "post"
    COMPLAIN = "complain"
    RECHECK = "recheck"
    RECOGNISE = "recognise"
    CERTIFY = "certify"
    WITHDRAW = "withdraw"


S = CaseState
A = Action

_BEFORE_DECISION = (
    S.LISTED,
    S.SURVEYED,
    S.UNDER_REVIEW,
    S.RETURNED,
    S.RESURVEYED,
    S.ACCEPTED,
    S.VOTED,
    S.POSTED,
    S.COMPLAINT,
    S.RECHECKED,
)

_COMMON: Final[dict[tuple[CaseState, Action], CaseState]] = {
    (S.LISTED, A.SURVEY): S.SURVEYED,
    (S.SURVEYED, A.START_REVIEW): S.UNDER_REVIEW,
    (S.RESURVEYED, A.START_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.RETURN): S.RETURNED,
    (S.RETURNED, A.SURVEY): S.RESURVEYED,
    (S.UNDER_REVIEW, A.ACCEPT): S.ACCEPTED,
    (S.POSTED, A.COMPLAIN): S.COMPLAINT,
    (S.COMPLAINT, A.RECHECK): S.RECHECKED,
    (S.POSTED, A.RECOGNISE): S.RECOGNISED,
    (S.RECHECKED, A.RECOGNISE): S.RECOGNISED,
    (S.RECOGNISED, A.CERTIFY): S.CERTIFIED,
    **{(state, A.WITHDRAW): S.WITHDRAWN for state in _BEFORE_DECISION},
}

# The hamlet meeting: at least half the attendees agree, else the case goes back to review.
_WITH_MEETING: Final = {
    **_COMMON,
    (S.ACCEPTED, A.VOTE_PASSED): S.VOTED,
    (S.ACCEPTED, A.VOTE_FAILED): S.UNDER_REVIEW,
    (S.VOTED, A.POST): S.POSTED,
}
_WITHOUT_MEETING: Final = {**_COMMON, (S.ACCEPTED, A.POST): S.POSTED}

TERMINAL: Final = frozenset({S.CERTIFIED, S.WITHDRAWN})


def transitions(meeting: bool) -> dict[tuple[CaseState, Action], CaseState]:
    """Return the allowed transitions of a procedure with or without a hamlet meeting."""
    return dict(_WITH_MEETING if meeting else _WITHOUT_MEETING)


def advance(state: CaseState, action: Action, meeting: bool, case_id: object = "?") -> CaseState:
    """Return the state ``action`` leads to from ``state``; raise ILLEGAL_TRANSITION when the
    procedure does not allow it."""
    table = _WITH_MEETING if meeting else _WITHOUT_MEETING
    target = table.get((state, action))
    if target is None:
        allowed = sorted(a.value for (s, a) in table if s is state)
        raise RasoatError(
            ErrorCode.ILLEGAL_TRANSITION,
            case_id=case_id,
            state=state.value,
            action=action.value,
            allowed=allowed,
        )
    return target


def allowed_actions(state: CaseState, meeting: bool) -> list[Action]:
    """Return the actions allowed from ``state``, in declaration order."""
    table = _WITH_MEETING if meeting else _WITHOUT_MEETING
    return [a for a in Action if (state, a) in table]


LABELS: Final[dict[CaseState, dict[str, str]]] = {
    S.LISTED: {"vi": "Đã lập danh sách", "en": "Listed"},
    S.SURVEYED: {"vi": "Đã rà soát", "en": "Surveyed"},
    S.UNDER_REVIEW: {"vi": "Đang xem xét", "en": "Under review"},
    S.RETURNED: {"vi": "Trả lại để sửa", "en": "Returned for correction"},
    S.RESURVEYED: {"vi": "Đã rà soát lại", "en": "Re-surveyed"},
    S.ACCEPTED: {"vi": "Đã duyệt", "en": "Accepted"},
    S.VOTED: {"vi": "Đã biểu quyết", "en": "Voted"},
    S.POSTED: {"vi": "Đang niêm yết", "en": "Posted"},
    S.COMPLAINT: {"vi": "Có khiếu nại", "en": "Complaint raised"},
    S.RECHECKED: {"vi": "Đã phúc tra", "en": "Re-checked"},
    S.RECOGNISED: {"vi": "Đã công nhận", "en": "Recognised"},
    S.CERTIFIED: {"vi": "Đã cấp giấy chứng nhận", "en": "Certificate issued"},
    S.WITHDRAWN: {"vi": "Đã rút khỏi danh sách", "en": "Withdrawn"},
}
