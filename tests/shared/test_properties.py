"""Properties every standard must keep, whatever the household (hypothesis).

- One more deprivation never makes a household less poor.
- More income never makes a household poorer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.engine import classify, parse_household
from shared.vocabulary import HouseholdClass

SEVERITY: dict[HouseholdClass, int] = {"not_poor": 0, "average": 1, "near_poor": 2, "poor": 3}

member = st.fixed_dictionaries(
    {
        "birth_date": st.dates(date(1930, 1, 1), date(2026, 10, 1)),
        "sex": st.sampled_from(["male", "female"]),
        "employment": st.sampled_from(
            [
                "wage_with_contract",
                "wage_without_contract",
                "self_employed",
                "unemployed",
                "not_in_labour_force",
            ]
        ),
        "pension": st.booleans(),
        "disability": st.sampled_from(["none", "mild", "severe", "especially_severe"]),
        "health_insurance": st.booleans(),
        "education": st.sampled_from(
            [
                "none",
                "primary",
                "lower_secondary",
                "upper_secondary",
                "vocational",
                "college",
                "university",
            ]
        ),
        "in_school": st.booleans(),
        "school_level": st.sampled_from(
            ["preschool", "primary", "lower_secondary", "upper_secondary", "vocational", "higher"]
        ),
        "stunted": st.booleans(),
        "underweight": st.booleans(),
        "phone_subscription": st.booleans(),
        "uses_internet": st.booleans(),
    }
)

household = st.fixed_dictionaries(
    {
        "format": st.just("rasoat.household/1"),
        "household_id": st.just("PROP"),
        "reference_date": st.sampled_from(["2026-10-15", "2028-03-01"]),
        "area": st.sampled_from(["rural", "urban"]),
        "income": st.fixed_dictionaries({"monthly_per_capita_vnd": st.integers(0, 4_000_000)}),
        "members": st.lists(member, min_size=1, max_size=8),
        "housing": st.fixed_dictionaries(
            {
                "walls": st.sampled_from(["brick", "concrete", "bamboo", "mud"]),
                "frame": st.sampled_from(["reinforced_concrete", "steel", "bamboo"]),
                "roof": st.sampled_from(["tile", "metal_sheet", "thatch", "leaves"]),
                "floor_area_m2": st.floats(5, 200),
            }
        ),
        "water_source": st.sampled_from(["piped", "drilled_well", "surface_water", "tanker"]),
        "latrine": st.sampled_from(["septic_tank", "ventilated_pit", "simple_pit", "none"]),
        "internet_access": st.booleans(),
        "information_devices": st.lists(
            st.sampled_from(["tv", "radio", "smartphone"]), unique=True
        ),
        "hears_loudspeaker": st.booleans(),
        "waste_disposal": st.sampled_from(["collected", "composted_or_buried", "burned", "dumped"]),
    }
)

# Each change turns one household-level indicator to deprived, whatever it was.
WORSENINGS: list[dict[str, Any]] = [
    {"latrine": "none"},
    {"water_source": "surface_water"},
    {"waste_disposal": "dumped"},
    {"internet_access": False, "phones": False},
    {"information_devices": [], "hears_loudspeaker": False},
]


def _prepare(document: dict[str, Any]) -> dict[str, Any]:
    for index, person in enumerate(document["members"]):
        person["member_id"] = str(index + 1)
    return document


def _severity(document: dict[str, Any]) -> int:
    result = classify(parse_household(document))
    assert result.household_class != "undetermined"
    return SEVERITY[result.household_class]


@settings(max_examples=150, deadline=None)
@given(household, st.sampled_from(WORSENINGS))
def test_one_more_deprivation_never_makes_a_household_less_poor(
    document: dict[str, Any], change: dict[str, Any]
) -> None:
    before = _prepare(document)
    after = {**before, **{k: v for k, v in change.items() if k != "phones"}}
    if "phones" in change:
        after["members"] = [{**m, "phone_subscription": False} for m in before["members"]]
    assert _severity(after) >= _severity(before)


@settings(max_examples=150, deadline=None)
@given(household, st.integers(1, 3_000_000))
def test_more_income_never_makes_a_household_poorer(
    document: dict[str, Any], raise_by: int
) -> None:
    before = _prepare(document)
    income = before["income"]["monthly_per_capita_vnd"]
    after = {**before, "income": {"monthly_per_capita_vnd": income + raise_by}}
    assert _severity(after) <= _severity(before)
