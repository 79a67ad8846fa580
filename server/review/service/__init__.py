"""Rules of the review round: who may act on a case, which transition an action makes, and
what each step records. Never commits; every transition is a ``review_transitions`` row, an
audit entry, and a change devices pull.

The service in modules named for what they hold; every public name is re-exported here, so
callers write ``service.accept`` whichever module holds it."""

from __future__ import annotations

from server.review.service.access import (
    case_for,
    round_for,
    standard_for_survey,
    standard_of,
)
from server.review.service.cases import (
    CommentIn,
    accept,
    override,
    return_case,
    start_review,
    withdraw,
)
from server.review.service.decision import (
    certify,
    decision_overdue,
    recognise,
)
from server.review.service.meetings import (
    MINUTES_PHOTO_LIMIT,
    Attendance,
    MeetingView,
    attach_minutes_photo,
    attendees,
    meeting_for,
    meeting_view,
    record_meeting,
    vote,
)
from server.review.service.postings import (
    complain,
    post,
    post_at_commune_office,
    recheck,
)
from server.review.service.rounds import (
    add_applicant,
    open_round,
    rounds,
)
from server.review.service.score import (
    ScoreDetail,
    ScoreLine,
    record_b1,
)
from server.review.service.signoffs import (
    reopen,
    require_unlocked,
    sign_off,
    standing_signoff,
    standing_signoffs,
)
from server.review.service.surveys import (
    attach_survey,
    collect,
    record_income,
)
from server.review.service.views import (
    QUEUE_STATES,
    CaseView,
    RoundView,
    case_documents,
    case_view,
    list_cases,
    queue,
    round_view,
    views,
)

__all__ = [
    "MINUTES_PHOTO_LIMIT",
    "QUEUE_STATES",
    "Attendance",
    "CaseView",
    "CommentIn",
    "MeetingView",
    "RoundView",
    "ScoreDetail",
    "ScoreLine",
    "accept",
    "add_applicant",
    "attach_minutes_photo",
    "attach_survey",
    "attendees",
    "case_documents",
    "case_for",
    "case_view",
    "certify",
    "collect",
    "complain",
    "decision_overdue",
    "list_cases",
    "meeting_for",
    "meeting_view",
    "open_round",
    "override",
    "post",
    "post_at_commune_office",
    "queue",
    "recheck",
    "recognise",
    "record_b1",
    "record_income",
    "record_meeting",
    "reopen",
    "require_unlocked",
    "return_case",
    "round_for",
    "round_view",
    "rounds",
    "sign_off",
    "standard_for_survey",
    "standard_of",
    "standing_signoff",
    "standing_signoffs",
    "start_review",
    "views",
    "vote",
    "withdraw",
]
