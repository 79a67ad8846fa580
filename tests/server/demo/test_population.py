"""The household generator makes valid documents that classify to the class asked for."""

from __future__ import annotations

import random
from datetime import date

import pytest

from server.demo.population import random_household
from shared.engine import classify, parse_household

CASES = [
    (date(2022, 12, 15), "rural", "poor"),
    (date(2022, 12, 15), "urban", "near_poor"),
    (date(2022, 12, 15), "rural", "average"),
    (date(2023, 3, 1), "urban", "not_poor"),
    (date(2026, 8, 31), "rural", "near_poor"),
    (date(2028, 10, 1), "urban", "poor"),
    (date(2028, 10, 1), "rural", "not_poor"),
]


@pytest.mark.parametrize(("reference_date", "area", "target"), CASES)
def test_steered_households_classify_to_their_target(
    reference_date: date, area: str, target: str
) -> None:
    rng = random.Random(f"{reference_date}{area}{target}")
    for index in range(150):
        document = random_household(rng, f"T-{index}", reference_date, area, target)
        result = classify(parse_household(document))
        assert (result.household_class, result.complete) == (target, True), document


def test_untargeted_households_are_valid_complete_and_mostly_not_poor() -> None:
    rng = random.Random(1)
    classes = [
        classify(parse_household(random_household(rng, f"U-{i}", date(2022, 12, 15), "rural")))
        for i in range(400)
    ]
    assert all(result.complete for result in classes)
    poor_or_near = sum(result.household_class in ("poor", "near_poor") for result in classes)
    assert poor_or_near < 60


def test_same_seed_same_household() -> None:
    first = random_household(random.Random(5), "X", date(2022, 12, 15), "urban", "poor")
    second = random_household(random.Random(5), "X", date(2022, 12, 15), "urban", "poor")
    assert first == second


def test_average_band_does_not_exist_after_2027() -> None:
    with pytest.raises(ValueError, match="average"):
        random_household(random.Random(1), "X", date(2028, 1, 10), "rural", "average")
