"""Case states: only the listed transitions, the vote rule and the income tests."""

from __future__ import annotations

import pytest

from shared.errors import ErrorCode, RasoatError
from shared.review.rules import (
    average_living_test,
    low_income_worker_test,
    monthly_income_per_capita,
    question_ids,
    vote_passes,
)
from shared.review.states import Action, CaseState, advance, allowed_actions

S, A = CaseState, Action
ANNUAL_PATH = [
    (S.LISTED, A.SURVEY, S.SURVEYED),
    (S.SURVEYED, A.START_REVIEW, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, A.RETURN, S.RETURNED),
    (S.RETURNED, A.SURVEY, S.RESURVEYED),
    (S.RESURVEYED, A.START_REVIEW, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, A.ACCEPT, S.ACCEPTED),
    (S.ACCEPTED, A.VOTE_FAILED, S.UNDER_REVIEW),
    (S.ACCEPTED, A.VOTE_PASSED, S.VOTED),
    (S.VOTED, A.POST, S.POSTED),
    (S.POSTED, A.COMPLAIN, S.COMPLAINT),
    (S.COMPLAINT, A.RECHECK, S.RECHECKED),
    (S.RECHECKED, A.RECOGNISE, S.RECOGNISED),
    (S.RECOGNISED, A.CERTIFY, S.CERTIFIED),
]


@pytest.mark.parametrize(("state", "action", "target"), ANNUAL_PATH)
def test_annual_path(state: CaseState, action: Action, target: CaseState) -> None:
    assert advance(state, action, meeting=True) is target


@pytest.mark.parametrize(
    ("state", "action", "meeting"),
    [
        (S.VOTED, A.RECOGNISE, True),  # recognise before posting
        (S.ACCEPTED, A.POST, True),  # post without a vote
        (S.ACCEPTED, A.VOTE_PASSED, False),  # no meeting in application procedures
        (S.LISTED, A.ACCEPT, True),
        (S.CERTIFIED, A.WITHDRAW, True),
        (S.COMPLAINT, A.RECOGNISE, True),
    ],
)
def test_illegal_transitions_are_refused(state: CaseState, action: Action, meeting: bool) -> None:
    with pytest.raises(RasoatError) as raised:
        advance(state, action, meeting, case_id=7)
    assert raised.value.code is ErrorCode.ILLEGAL_TRANSITION
    assert raised.value.detail["state"] == state.value


def test_application_procedures_post_after_acceptance() -> None:
    assert advance(S.ACCEPTED, A.POST, meeting=False) is S.POSTED
    assert allowed_actions(S.ACCEPTED, meeting=False) == [A.POST, A.WITHDRAW]


@pytest.mark.parametrize(
    ("agree", "attendees", "passes"), [(20, 40, True), (19, 40, False), (1, 1, True), (0, 3, False)]
)
def test_at_least_half_the_attendees(agree: int, attendees: int, passes: bool) -> None:
    assert vote_passes(agree, attendees) is passes


def test_impossible_votes_are_refused() -> None:
    with pytest.raises(RasoatError):
        vote_passes(41, 40)


def test_income_tests() -> None:
    per_capita = monthly_income_per_capita(120_000_000, 12_000_000, 4)
    assert per_capita == 2_250_000
    assert average_living_test(per_capita, 1_500_000, 2_250_000).eligible
    assert not average_living_test(1_400_000, 1_500_000, 2_250_000).eligible
    assert low_income_worker_test(per_capita, 1_500_000, 2_250_000, "not_poor").eligible
    assert not low_income_worker_test(per_capita, 1_500_000, 2_250_000, "near_poor").eligible


@pytest.mark.parametrize("path", ["employment", "members[2].education", "income_sources[0].amount"])
def test_question_paths(path: str) -> None:
    assert question_ids(path)[-1] == path.split(".")[-1]


@pytest.mark.parametrize("path", ["", "Members", "members[].x", "a..b", "x" * 200])
def test_bad_question_paths(path: str) -> None:
    with pytest.raises(RasoatError):
        question_ids(path)
