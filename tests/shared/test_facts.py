"""The engine's result is stored once, in no language (``Classification.facts``), and rendered
when read (``shared.reasons.render_result``): rendered, it is the very document ``to_dict``
gives in either language, after a trip through JSON as the databases store it."""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import pytest

from server.demo.population import random_household
from shared.engine import classify, parse_household
from shared.reasons import render_result
from shared.standards import load_catalog
from tests.shared.golden import load_cases

CASES = load_cases()


def _stored(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the facts as a JSON column gives them back."""
    found: dict[str, Any] = json.loads(json.dumps(facts, ensure_ascii=False))
    return found


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[name for name, _ in CASES])
def test_a_golden_case_renders_as_the_engine_writes_it(case: dict[str, Any]) -> None:
    standard = load_catalog().get(case["standard"]) if "standard" in case else None
    result = classify(parse_household(case["document"]), standard=standard)
    stored = _stored(result.facts())
    for lang in ("vi", "en"):
        assert render_result(stored, lang) == result.to_dict(lang)


def test_random_households_render_as_the_engine_writes_them() -> None:
    rng = random.Random(17)
    for number in range(300):
        area = rng.choice(("rural", "urban"))
        day = date(rng.choice((2023, 2026, 2027)), rng.randint(1, 12), rng.randint(1, 28))
        # The 2027 standard has no average band.
        targets = ("poor", "near_poor", "not_poor", None) + (
            ("average",) if day.year < 2027 else ()
        )
        target = rng.choice(targets)
        document = random_household(rng, f"HH-{number}", day, area, target)
        result = classify(parse_household(document))
        stored = _stored(result.facts())
        assert all("key" in entry["reason"] for entry in stored["indicators"].values())
        for lang in ("vi", "en"):
            assert render_result(stored, lang) == result.to_dict(lang), (number, lang)


def test_a_result_stored_as_texts_renders_its_texts() -> None:
    """Results stored before the facts were keep each reason as its texts (revision 0028)."""
    stored = {
        "class": "poor",
        "indicators": {
            "latrine": {
                "status": "deprived",
                "reason": {"vi": "Hộ dùng nhà tiêu đơn giản", "en": "A basic latrine"},
            }
        },
    }
    assert render_result(stored, "en")["indicators"]["latrine"]["reason"] == "A basic latrine"
    assert render_result(stored, "vi")["indicators"]["latrine"] == {
        "status": "deprived",
        "reason": "Hộ dùng nhà tiêu đơn giản",
    }
