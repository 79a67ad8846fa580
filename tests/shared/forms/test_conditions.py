"""The condition language: three-valued logic, arithmetic that never raises, aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pytest

from shared.forms.conditions import (
    ConditionError,
    Env,
    Scope,
    Value,
    ValueType,
    check,
    evaluate,
    parse,
)

TYPES = {
    "n": ValueType("number"),
    "m": ValueType("number"),
    "t": ValueType("text", frozenset({"a", "b"})),
    "d": ValueType("date"),
    "flag": ValueType("bool"),
    "picked": ValueType("choices", frozenset({"tv", "radio", "none"})),
    "rows": ValueType("rows", roster="rows"),
    "x": ValueType("number"),
}


class _Schema:
    def type_of(self, name: str) -> ValueType | None:
        return TYPES.get(name)

    def roster_of(self, name: str) -> str | None:
        return "rows" if name == "x" else None


@dataclass
class _Env:
    values: dict[str, Value]
    row_values: list[Value] = field(default_factory=list)
    index: int | None = None

    def value(self, name: str) -> Value:
        return self.values.get(name)

    def rows(self, roster: str) -> Sequence[Env]:
        return [_Env({**self.values, "x": v}, [], i) for i, v in enumerate(self.row_values)]

    def position(self) -> int | None:
        return None if self.index is None else self.index + 1

    def current(self) -> Value:
        return self.values.get(".")


def run(text: str, values: dict[str, Value], rows: list[Value] | None = None) -> Value:
    expr = parse(text)
    check(expr, _Schema(), Scope(current=ValueType("number")))
    return evaluate(expr, _Env(values, rows or []))


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("n + m * 2", {"n": 1, "m": 3}, 7),
        ("n / m", {"n": 1, "m": 0}, None),
        ("n / m", {"n": 3, "m": 2}, 1.5),
        ("-n", {"n": 4}, -4),
        ("n > 3", {}, None),
        ("n > 3 and flag", {"n": 1}, False),
        ("n > 3 or flag", {"n": 5}, True),
        ("n > 3 or flag", {"n": 1}, None),
        ("not flag", {}, None),
        ("t = 'a'", {"t": "a"}, True),
        ("t != 'a'", {}, None),
        ("d <= date('2026-10-15')", {"d": date(2026, 10, 15)}, True),
        ("years(d, date('2026-10-15'))", {"d": date(2010, 10, 16)}, 15),
        ("years(d, date('2026-10-15'))", {"d": date(2010, 10, 15)}, 16),
        ("year(d)", {"d": date(2026, 1, 1)}, 2026),
        ("selected(picked, 'tv')", {"picked": ("tv", "radio")}, True),
        ("count_selected(without(picked, 'none'))", {"picked": ("none",)}, 0),
        ("answered(t)", {"t": "a"}, True),
        ("answered(t)", {}, False),
        ("if(flag, n, m)", {"flag": True, "n": 1, "m": 2}, 1),
        ("if(flag, n, m)", {}, None),
        ("coalesce(n, 0)", {}, 0),
        ("floor(n / m)", {"n": 7, "m": 2}, 3),
        ("text(n)", {"n": 4.0}, "4"),
        ("length(t)", {"t": "b"}, 1),
        ("n * m", {"n": 10**300 * 1.0, "m": 10**300 * 1.0}, None),
        ("floor(n * m)", {"n": 1e300, "m": 1e300}, None),
    ],
)
def test_evaluation(text: str, values: dict[str, Value], expected: Value) -> None:
    assert run(text, values) == expected


def test_the_current_value_is_a_dot() -> None:
    assert run(". >= 1 and . <= 100", {".": 4}) is True


@pytest.mark.parametrize(
    ("text", "rows", "expected"),
    [
        ("count(rows)", [1, None, 3], 3),
        ("count(rows, x > 1)", [1, None, 3], 1),
        ("any(rows, x > 2)", [1, None, 3], True),
        ("any(rows, x > 5)", [1, None, 3], None),
        ("any(rows, x > 5)", [1, 3], False),
        ("all(rows, x > 0)", [1, 3], True),
        ("all(rows, x > 2)", [1, None, 3], False),
        ("all(rows, x > 0)", [], True),
        ("sum(rows, x)", [1, None, 3], 4),
        ("sum(rows, x)", [], 0),
        ("max(rows, x)", [1, None, 3], 3),
        ("min(rows, x)", [], None),
    ],
)
def test_aggregates(text: str, rows: list[Value], expected: Value) -> None:
    assert run(text, {}, rows) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "n >", "(n", "n )", "n # 3", "'open", "and", "f(", "n = = 2", "x" * 2001],
)
def test_what_does_not_parse(text: str) -> None:
    with pytest.raises(ConditionError):
        parse(text)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ConditionError):
        parse("(" * 600 + "1" + ")" * 600)


def test_there_is_no_way_out_to_python() -> None:
    for text in ["__import__('os')", "n.__class__", "open('x')"]:
        with pytest.raises(ConditionError):
            check(parse(text), _Schema(), Scope())
