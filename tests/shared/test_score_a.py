"""Score tables (Phiếu B1): points by region and area, the table's own thresholds, the points
of each item in the result, and tables refused for what they miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.score_a import REGION_NAMES, parse_score_table
from tests.shared.test_engine import example

DATA = Path(__file__).parent / "data"
B1_TEXT = (DATA / "score-b1-example.yaml").read_text("utf-8")
B1 = parse_score_table(B1_TEXT, "score-b1-example.yaml")
# The specification's example (three deprivations) with a tiled roof and a laptop.
WITH_LAPTOP = example(
    housing={"roof": "tile", "walls": "bamboo"}, information_devices=["tv", "laptop"]
)


def _refusal(text: str, items: list[str] | None = None) -> str:
    with pytest.raises(RasoatError) as caught:
        parse_score_table(text, "b1.yaml", items)
    assert caught.value.code is ErrorCode.INVALID_SCORE_TABLE
    return str(caught.value.detail["problem"])


def test_a_household_classified_by_score_shows_the_points_of_each_item() -> None:
    table = parse_score_table((DATA / "score-a-example.yaml").read_text("utf-8"))
    result = classify(parse_household(example()), income_estimator=table).to_dict("en")
    assert result["score_a"] == 115
    assert result["score_a_items"] == {"walls_durable": 15}
    assert "score_a_line" not in result


def test_the_same_household_scores_by_its_region() -> None:
    household = parse_household(WITH_LAPTOP)
    north = classify(household, income_estimator=B1.for_region("northern_midlands_mountains"))
    southeast = classify(household, income_estimator=B1.for_region("southeast"))
    # 90 base + 20 tiled roof (rural) + 25 laptop in the northern mountains: at or below 140.
    assert north.to_dict("en")["score_a_items"] == {"roof_durable": 20, "laptop": 25}
    assert (north.to_dict("en")["score_a"], north.household_class) == (135, "poor")
    # 120 base + 20 + 10 in the southeast: above the line, however deprived.
    assert (southeast.to_dict("en")["score_a"], southeast.household_class) == (150, "not_poor")


def test_urban_households_take_the_urban_points_and_threshold() -> None:
    household = parse_household({**WITH_LAPTOP, "area": "urban"})
    result = classify(household, income_estimator=B1.for_region("red_river_delta")).to_dict("en")
    assert result["score_a_items"] == {"roof_durable": 15, "laptop": 10}
    assert (result["score_a"], result["score_a_line"]) == (150, 175)
    assert result["class"] == "poor"


def test_the_tables_own_threshold_replaces_the_standards() -> None:
    stricter = parse_score_table(
        B1_TEXT.replace("{rural: 140, urban: 175}", "{rural: 130, urban: 175}")
    )
    result = classify(
        parse_household(WITH_LAPTOP),
        income_estimator=stricter.for_region("northern_midlands_mountains"),
    ).to_dict("en")
    assert (result["score_a"], result["score_a_line"], result["class"]) == (135, 130, "not_poor")


def test_a_table_by_region_needs_the_communes_region() -> None:
    with pytest.raises(RasoatError) as caught:
        classify(parse_household(WITH_LAPTOP), income_estimator=B1)
    assert caught.value.code is ErrorCode.INVALID_SCORE_TABLE
    assert "region" in str(caught.value.detail["problem"])


def test_a_table_missing_an_item_of_the_form_is_refused_naming_it() -> None:
    form_items = ["roof_durable", "walls_durable", "laptop", "six_or_more_members", "motorbike"]
    assert _refusal(B1_TEXT, form_items) == "item motorbike of the form has no points"
    assert parse_score_table(B1_TEXT, items=form_items[:-1]).id == "example-b1-regional"


def test_an_item_by_region_must_give_every_region() -> None:
    text = B1_TEXT.replace("      southeast: {rural: 10, urban: 8}\n", "")
    assert "item laptop: no points for region southeast" in _refusal(text)


def test_an_item_given_twice_is_refused() -> None:
    text = B1_TEXT + "  - {id: laptop, field: information_devices, contains: laptop, points: 1}\n"
    assert "item laptop appears twice" in _refusal(text)


def test_the_six_regions_are_named_in_both_languages() -> None:
    assert len(REGION_NAMES) == 6
    assert all(set(names) == {"vi", "en"} for names in REGION_NAMES.values())
    assert B1.example_only
