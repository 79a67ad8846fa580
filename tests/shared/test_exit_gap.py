"""A commune's gap to its targets and its what-if (shared/exit/gap.py), worked by hand on a
small area of ten households, five of them on the lists."""

from __future__ import annotations

from dataclasses import replace

from shared.exit.gap import Listed, ServiceGoal, area_gap
from shared.exit.path import paths_from_result
from shared.standards import load_catalog
from shared.vocabulary import HouseholdClass

STANDARD = load_catalog().get("vn-2022-2025")
# Seed 003's targets for these indicators.
GOALS = [
    ServiceGoal("latrine", "Nhà tiêu", "latrine", ("poor",), 90.0),
    ServiceGoal("health_insurance", "BHYT", "health_insurance", ("near_poor",), 100.0),
    ServiceGoal("housing_quality", "Nhà ở", "housing_quality", ("poor",), 70.0),
]


def _listed(household_id: str, household_class: HouseholdClass, *deprived: str) -> Listed:
    paths = paths_from_result(
        STANDARD,
        household_id,
        "rural",
        household_class,
        1_000_000,
        deprived,
    )
    return Listed(
        household_id,
        STANDARD,
        "rural",
        household_class,
        1_000_000,
        deprived,
        0,
        paths,
    )


AREA = [
    _listed("P1", "poor", "housing_quality", "water_source", "latrine"),
    _listed("P2", "poor", "employment", "adult_education", "housing_quality"),
    _listed("P3", "poor", "dependents", "health_insurance", "adult_education", "latrine"),
    _listed("N1", "near_poor", "health_insurance"),
    _listed("N2", "near_poor"),
]


def test_gap_and_what_if_by_hand() -> None:
    gap = area_gap("X", "Xã Thử", 10, AREA, 1, GOALS)
    # Three poor, target one: two must leave. P1 needs one tier-1 action (a latrine, tied with
    # water, the latrine first), P2 one tier-2 action (its house), P3 two: P1 and P2 are chosen.
    assert (gap.poor, gap.near_poor, gap.to_lift, gap.liftable) == (3, 2, 2, 2)
    # Latrines: 90 % of 3 poor is 2.7, so 3 must have one; P2 has one, P1's is planned, P3's
    # is added. Cards: every near-poor household, so N1. Houses: 70 % of 3 is 2.1, so 3;
    # P3 has one, P2's is planned, P1's is added.
    assert gap.units == {"health_insurance": 1, "latrine": 2, "housing_quality": 2}
    assert gap.budget["vi"] == "1 hộ cần thẻ BHYT, 2 nhà tiêu hợp vệ sinh, 2 nhà"
    assert gap.budget["en"] == ("1 households needing health-insurance cards, 2 latrines, 2 houses")
    services = {
        s.key: (s.households, s.reached, s.required, s.actions, s.reached_after)
        for s in gap.services
    }
    assert services == {
        "latrine": (3, 1, 3, 2, 3),
        "health_insurance": (2, 1, 2, 1, 2),
        "housing_quality": (3, 1, 3, 2, 3),
    }
    # What-if: P1 loses latrine and house (1 left), P2 its house (2 left): both near-poor;
    # P3 loses its latrine only and keeps 3: still poor.
    what_if = gap.what_if
    assert (what_if.poor, what_if.near_poor, what_if.leave_poverty, what_if.leave_lists) == (
        1,
        4,
        2,
        0,
    )
    assert (what_if.poor_rate, what_if.near_poor_rate) == (10.0, 40.0)


def test_no_target_plans_only_the_services() -> None:
    gap = area_gap("X", "Xã Thử", 10, AREA, None, GOALS)
    assert gap.to_lift == 0
    # Latrines for P1 and P3, cards for N1, houses for P1 and P2 (P1 first by id, then P2).
    assert gap.units == {"health_insurance": 1, "latrine": 2, "housing_quality": 2}
    assert gap.what_if.leave_poverty == 2


def test_an_empty_area_needs_nothing() -> None:
    gap = area_gap("H", "Thôn trống", 0, [], 0, GOALS)
    assert gap.units == {}
    assert gap.budget == {"vi": "", "en": ""}
    assert all(s.percent_after == 100.0 for s in gap.services)


def test_the_near_poor_s_health_insurance_counted_in_persons() -> None:
    # Seed 003: "100% khẩu cận nghèo tham gia BHYT". N1 has 4 members, 2 uninsured; N2 5
    # members, 1 uninsured; N3 3 members, all insured. 12 persons, 9 insured now: 100 % needs
    # all 12, so both households are planned, 3 persons to insure (not 2 "cards" households).
    def near(household_id: str, persons: int, uninsured: int) -> Listed:
        deprived = ("health_insurance",) if uninsured else ()
        paths = paths_from_result(STANDARD, household_id, "rural", "near_poor", 1_000_000, deprived)
        return Listed(
            household_id,
            STANDARD,
            "rural",
            "near_poor",
            1_000_000,
            deprived,
            0,
            paths,
            persons=persons,
            named={"health_insurance": uninsured} if uninsured else {},
        )

    area = [near("N1", 4, 2), near("N2", 5, 1), near("N3", 3, 0)]
    persons = ServiceGoal(
        "health_insurance", "BHYT", "health_insurance", ("near_poor",), 100.0, "persons"
    )
    gap = area_gap("X", "Xã Thử", 3, area, None, [persons])
    (service,) = gap.services
    assert (service.unit, service.households, service.total, service.reached) == (
        "persons",
        3,
        12,
        9,
    )
    assert (service.required, service.actions, service.reached_after) == (12, 3, 12)
    assert gap.units == {"health_insurance": 3}
    assert gap.counted_in == {"health_insurance": "persons"}
    assert gap.budget["vi"] == "3 khẩu cần tham gia BHYT"
    assert gap.budget["en"] == "3 persons to insure"
    # At 75 %, 9 of 12 persons are enough: nothing to do.
    enough = area_gap("X", "Xã Thử", 3, area, None, [replace(persons, percent=75.0)])
    assert enough.units == {}
    assert enough.services[0].required == 9
