"""Score tables (Phiếu B1): points by region and area, the table's own thresholds, the points
of each item in the result, and tables refused for what they miss."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.score_a import (
    REGION_NAMES,
    SHIPPED_DIR,
    Region,
    as_region,
    check_against_form,
    form_items,
    parse_score_table,
    shipped_tables,
)
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


# The shipped example table and a filled Phiếu B1 (score_b1 1), in the demo town's region.
EXAMPLE_B1 = shipped_tables()[0]
B1_ANSWERS = yaml.safe_load(
    (Path(__file__).parent / "forms" / "answers" / "score_b1_example.yaml").read_text("utf-8")
)["answers"]
DEMO_REGION: Region = "north_central_central_coast"


def _by_b1(area: str, answers: dict[str, Any] | None = B1_ANSWERS) -> dict[str, Any]:
    household = parse_household(example(area=area))
    estimator = EXAMPLE_B1.for_region(DEMO_REGION, answers)
    return classify(household, income_estimator=estimator).to_dict("vi")


def test_a_household_scored_by_phieu_b1_in_the_demo_region_shows_each_items_points() -> None:
    # The specification's household (three deprivations) in a khu phố of the demo town.
    urban = _by_b1("urban")
    assert urban["score_a_items"] == {
        "upper_secondary": 15,
        "wage_earner": 20,
        "semi_permanent_house": 10,
        "piped_water": 5,
        "septic_latrine": 5,
        "motorbike": 8,
        "refrigerator": 5,
    }
    # 85 base points + 68: at or below the urban line of 175, and three deprivations: poor.
    assert (urban["score_a"], urban["score_a_line"], urban["class"]) == (153, 175, "poor")
    assert urban["income_method"] == "score_a"
    lines = EXAMPLE_B1.points_of(urban["score_a_items"], DEMO_REGION, "urban")
    assert lines[0] == ("base_points", lines[0][1], 85)
    assert lines[0][1]["vi"] == "Điểm gốc theo vùng và khu vực"
    assert sum(points for _, _, points in lines) == 153


def test_the_same_household_in_a_rural_hamlet_is_above_the_line() -> None:
    rural = _by_b1("rural")
    # The rural points: 65 base, 10 education, 15 wage, 10 house, 10 water, 10 latrine,
    # 12 motorbike, 10 refrigerator; above the rural line of 140, so not poor.
    assert rural["score_a_items"]["motorbike"] == 12
    assert (rural["score_a"], rural["score_a_line"], rural["class"]) == (142, 140, "not_poor")
    assert _by_b1("urban")["class"] != rural["class"]


def test_without_its_phieu_b1_a_household_is_undetermined() -> None:
    result = _by_b1("urban", None)
    assert (result["class"], result["income_method"]) == ("undetermined", None)
    assert "income" in result["missing"]


def test_the_example_table_scores_every_item_of_its_form() -> None:
    form = shipped().get("score_b1", 1)
    assert EXAMPLE_B1.example_only
    assert EXAMPLE_B1.form == form.key
    assert check_against_form(EXAMPLE_B1, form, "example-b1.yaml") is EXAMPLE_B1
    assert len(form_items(form)) == 18


def _without_motorbike() -> str:
    text = (SHIPPED_DIR / "example-b1.yaml").read_text("utf-8")
    start = text.index("  - id: motorbike\n")
    end = text.index("  - id: air_conditioner\n")
    return text[:start] + text[end:]


def test_a_province_table_missing_an_item_is_refused_naming_it() -> None:
    table = parse_score_table(_without_motorbike(), "thanh-hoa.yaml")
    with pytest.raises(RasoatError) as caught:
        check_against_form(table, shipped().get("score_b1", 1), "thanh-hoa.yaml")
    assert caught.value.code is ErrorCode.SCORE_ITEM_MISSING
    assert caught.value.detail["item"] == "motorbike"
    assert caught.value.message("vi") == (
        "Bảng điểm thanh-hoa.yaml chưa cho điểm chỉ tiêu «Xe máy, xe có động cơ» (motorbike) "
        "của phiếu score_b1/1"
    )
    assert caught.value.message("en") == (
        "Score table thanh-hoa.yaml gives no points to item motorbike («Xe máy, xe có động "
        "cơ») of form score_b1/1"
    )
    assert caught.value.detail["label_en"] == "Motorbike or other motor vehicle"


def test_a_table_reading_a_question_its_form_lacks_is_refused() -> None:
    text = (SHIPPED_DIR / "example-b1.yaml").read_text("utf-8")
    text += "  - {id: boat, answer: boat, equals: true, points: 5}\n"
    with pytest.raises(RasoatError) as caught:
        check_against_form(parse_score_table(text), shipped().get("score_b1", 1), "b1.yaml")
    assert caught.value.code is ErrorCode.INVALID_SCORE_TABLE
    assert caught.value.detail["problem"] == "form score_b1/1 has no question boat"


def test_a_table_on_answers_names_its_form() -> None:
    text = (SHIPPED_DIR / "example-b1.yaml").read_text("utf-8").replace("form: score_b1/1\n", "")
    assert "name the form" in _refusal(text)


def test_a_region_is_one_of_the_six() -> None:
    assert as_region(DEMO_REGION) == DEMO_REGION
    assert as_region(None) is None
    with pytest.raises(RasoatError) as caught:
        as_region("north_central")
    assert caught.value.code is ErrorCode.UNKNOWN_REGION
