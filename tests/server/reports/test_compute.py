"""The reports' arithmetic, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from server.reports import compute
from server.reports.compute import ClassCounts, Transition


def test_rates_round_to_two_decimals_like_seed_000() -> None:
    assert compute.rate(8, 2567) == 0.31
    assert compute.rate(34, 2567) == 1.32
    assert compute.rate(1, 0) == 0.0


def test_changes_from_transitions() -> None:
    found = compute.changes(
        [
            Transition("poor", "not_poor", False, 3),
            Transition("poor", "near_poor", False, 2),
            Transition("near_poor", "average", False, 4),
            Transition("not_poor", "poor", True, 1),
            Transition(None, "poor", False, 5),
            Transition("near_poor", "poor", False, 1),
            Transition("not_poor", "near_poor", False, 6),
            Transition("poor", "poor", False, 99),
        ]
    )
    assert found == compute.Changes(
        exited_poor=5, exited_near_poor=4, newly_poor=6, newly_near_poor=8, fell_back=1
    )


def test_hamlet_table_sums_to_the_commune() -> None:
    table = compute.hamlet_table(
        "X",
        "Xã X",
        2023,
        [(1, "T1", "Thôn 1"), (2, "T2", "Thôn 2")],
        {1: 100, 2: 300},
        {1: {"poor": 4, "near_poor": 2}, 2: {"poor": 6}},
        {1: {"poor": 3, "near_poor": 3}, 2: {"poor": 4, "not_poor": 296}},
        {
            1: [Transition("poor", "near_poor", False, 1)],
            2: [Transition("poor", "average", False, 2)],
        },
    )
    assert table.total.now == ClassCounts(400, 7, 3)
    assert table.total.start == ClassCounts(400, 10, 2)
    assert table.total.changes.exited_poor == 3
    assert table.rows[0].now.poor_rate == 3.0


def test_adjusted_headcount_is_h_times_a() -> None:
    # 10 households, 12 indicators, k = 3: two deprived in 3 and 6 → H = 0.2, A = 9/24.
    found = compute.adjusted_headcount({0: 6, 1: 1, 2: 1, 3: 1, 6: 1}, 10, 12, 3)
    assert (found.multidimensionally_poor, found.headcount, found.intensity) == (2, 0.2, 0.375)
    assert found.m0 == 0.075


def test_service_progress_against_seed_003_defaults() -> None:
    housing = next(t for t in compute.DEFAULT_SERVICE_TARGETS if t.key == "housing_quality")
    insured = next(t for t in compute.DEFAULT_SERVICE_TARGETS if t.key == "health_insurance")
    schooling = next(t for t in compute.DEFAULT_SERVICE_TARGETS if t.key == "child_schooling")
    assert (housing.unit, insured.unit, schooling.unit) == ("households", "persons", "children")
    # 20 near-poor households of 70 persons, 3 of them uninsured; 12 children on the lists,
    # 2 out of school.
    found = compute.service_progress(
        [housing, insured, schooling],
        {"poor": 10, "near_poor": 20},
        {"poor": {"housing_quality": 3}, "near_poor": {"health_insurance": 2}},
        {"persons": {"poor": 40, "near_poor": 70}, "children": {"poor": 5, "near_poor": 7}},
        {"near_poor": {"health_insurance": 3, "child_schooling": 2}},
    )
    assert [(p.households, p.total, p.reached, p.percent, p.met) for p in found] == [
        (10, 10, 7, 70.0, True),
        (20, 70, 67, 95.71, False),
        (30, 12, 10, 83.33, False),
    ]


def test_a_target_counted_in_households_instead() -> None:
    insured = next(t for t in compute.DEFAULT_SERVICE_TARGETS if t.key == "health_insurance")
    households = compute.in_unit(insured, "households")
    assert households.title == "Hộ cận nghèo tham gia BHYT"
    (found,) = compute.service_progress(
        [households], {"near_poor": 20}, {"near_poor": {"health_insurance": 2}}
    )
    assert (found.total, found.reached, found.percent) == (20, 18, 90.0)
    with pytest.raises(KeyError):
        compute.in_unit(insured, "children")


def test_poverty_progress_like_seed_003() -> None:
    # Cao Ngọc: 64 poor households (5.21 %) to 40 by the end of 2024.
    start = ClassCounts(1228, 64, 0)
    now = ClassCounts(1228, 52, 0)
    found = compute.poverty_progress("poor", start, now, 40)
    assert (found.start_rate, found.target_rate, found.remaining, found.met) == (
        5.21,
        3.26,
        12,
        False,
    )


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        ("six_monthly", date(2024, 6, 10)),
        ("annual", date(2024, 11, 10)),
        ("sector", date(2024, 9, 25)),
    ],
)
def test_bundle_deadlines(kind: str, due: date) -> None:
    assert compute.bundle_for(kind, 2024).due == due


def test_unknown_bundle_kind() -> None:
    with pytest.raises(ValueError, match="weekly"):
        compute.bundle_for("weekly", 2024)


def test_changes_follow_the_one_classifier_where_the_old_copies_differed() -> None:
    """poor → near-poor → poor fell back (the exit from poverty was counted, so the return
    is too); undetermined is no exit (the household is not classified yet)."""
    found = compute.changes(
        [Transition("near_poor", "poor", True, 2), Transition("poor", "undetermined", False, 3)]
    )
    assert found == compute.Changes(fell_back=2)
