"""The condition language of forms: relevance, constraints, calculations and mappings.

A small expression language, parsed into a tree, type-checked against the form when the form
loads, and evaluated totally: evaluation never raises, whatever the answers. There is no
``eval`` and no way to reach Python from a form.

    relation = 'head' and years(birth_date, reference_date) >= 15
    count(members, relation = 'head') = 1
    . <= reference_date

Missing answers are ``null``. Arithmetic and comparisons with ``null`` give ``null``;
``and``/``or``/``not`` follow three-valued logic, so ``false and null`` is ``false``. Callers
decide what an unknown result means: a constraint fails only when it is ``false``, a question
is relevant only when its condition is ``true``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol, TypeAlias

from shared.people import citizen_id_fault

Kind = Literal["number", "text", "date", "bool", "choices", "gps", "photo", "rows", "null"]

Value: TypeAlias = bool | int | float | str | date | tuple[str, ...] | Mapping[str, object] | None


class ConditionError(ValueError):
    """An expression that does not parse or does not type-check; the message says why."""


@dataclass(frozen=True)
class ValueType:
    """The static type of an expression; ``choices`` lists the allowed values of a selection."""

    kind: Kind
    choices: frozenset[str] | None = None
    roster: str | None = None

    def describe(self) -> str:
        """Return the kind's name, for error messages."""
        return self.kind


NUMBER = ValueType("number")
TEXT = ValueType("text")
DATE = ValueType("date")
BOOL = ValueType("bool")
NULL = ValueType("null")


# The tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: Value
    type: ValueType


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the value of the question the expression belongs to."""


@dataclass(frozen=True)
class Unary:
    op: Literal["-", "not"]
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


Expr: TypeAlias = Const | Ref | Current | Unary | Binary | Call


def references(expr: Expr) -> set[str]:
    """Return the question ids the expression reads."""
    if isinstance(expr, Ref):
        return {expr.name}
    if isinstance(expr, Unary):
        return references(expr.operand)
    if isinstance(expr, Binary):
        return references(expr.left) | references(expr.right)
    if isinstance(expr, Call):
        found: set[str] = set()
        for arg in expr.args:
            found |= references(arg)
        return found
    return set()


# Parsing ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|!=|[=<>+\-*/(),.]))"
)
_KEYWORDS = {"and", "or", "not", "true", "false", "null"}
_COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}
MAX_LENGTH = 2000


@dataclass
class _Parser:
    text: str
    tokens: list[tuple[str, str]] = field(default_factory=list)
    pos: int = 0

    def tokenize(self) -> None:
        at = 0
        stripped = self.text.rstrip()
        while at < len(stripped):
            match = _TOKEN.match(stripped, at)
            if match is None or match.end() == at:
                raise ConditionError(f"unexpected character {stripped[at:].lstrip()[:1]!r}")
            kind = match.lastgroup
            assert kind is not None
            self.tokens.append((kind, match.group(kind)))
            at = match.end()

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def accept(self, *ops: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] in ("op", "name") and token[1] in ops:
            self.pos += 1
            return token[1]
        return None

    def expect(self, op: str) -> None:
        if self.accept(op) is None:
            token = self.peek()
            found = "the end" if token is None else repr(token[1])
            raise ConditionError(f"expected {op!r} but found {found}")

    def parse(self) -> Expr:
        self.tokenize()
        expr = self.or_()
        if self.peek() is not None:
            raise ConditionError(f"unexpected {self.tokens[self.pos][1]!r}")
        return expr

    def or_(self) -> Expr:
        expr = self.and_()
        while self.accept("or"):
            expr = Binary("or", expr, self.and_())
        return expr

    def and_(self) -> Expr:
        expr = self.not_()
        while self.accept("and"):
            expr = Binary("and", expr, self.not_())
        return expr

    def not_(self) -> Expr:
        if self.accept("not"):
            return Unary("not", self.not_())
        return self.comparison()

    def comparison(self) -> Expr:
        expr = self.additive()
        op = self.accept(*_COMPARISONS)
        if op is not None:
            expr = Binary(op, expr, self.additive())
            if self.accept(*_COMPARISONS):
                raise ConditionError("comparisons do not chain; join them with 'and'")
        return expr

    def additive(self) -> Expr:
        expr = self.multiplicative()
        while (op := self.accept("+", "-")) is not None:
            expr = Binary(op, expr, self.multiplicative())
        return expr

    def multiplicative(self) -> Expr:
        expr = self.unary()
        while (op := self.accept("*", "/")) is not None:
            expr = Binary(op, expr, self.unary())
        return expr

    def unary(self) -> Expr:
        if self.accept("-"):
            return Unary("-", self.unary())
        return self.primary()

    def primary(self) -> Expr:
        token = self.peek()
        if token is None:
            raise ConditionError("the expression ends too early")
        kind, text = token
        self.pos += 1
        if kind == "number":
            return Const(float(text) if "." in text else int(text), NUMBER)
        if kind == "string":
            return Const(text[1:-1], TEXT)
        if kind == "name":
            if text == "true" or text == "false":
                return Const(text == "true", BOOL)
            if text == "null":
                return Const(None, NULL)
            if text in _KEYWORDS:
                raise ConditionError(f"unexpected {text!r}")
            if self.accept("("):
                args: list[Expr] = []
                if not self.accept(")"):
                    args.append(self.or_())
                    while self.accept(","):
                        args.append(self.or_())
                    self.expect(")")
                return Call(text, tuple(args))
            return Ref(text)
        if text == ".":
            return Current()
        if text == "(":
            expr = self.or_()
            self.expect(")")
            return expr
        raise ConditionError(f"unexpected {text!r}")


def parse(text: str) -> Expr:
    """Return the tree of ``text``; raise ``ConditionError`` when it is not an expression."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ConditionError("empty expression")
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise ConditionError("expression nested too deeply") from None


# Type checking ----------------------------------------------------------------------------


class Schema(Protocol):
    """What the type checker needs to know about the form's questions."""

    def type_of(self, name: str) -> ValueType | None:
        """Return the type of question ``name``, or None when there is no such question."""

    def roster_of(self, name: str) -> str | None:
        """Return the id of the innermost roster that contains question ``name``."""


@dataclass(frozen=True)
class Scope:
    """Where an expression sits: the rosters it is inside (outermost first) and its own type."""

    rosters: tuple[str, ...] = ()
    current: ValueType | None = None


def check(expr: Expr, schema: Schema, scope: Scope) -> ValueType:
    """Return the type of ``expr``; raise ``ConditionError`` when it is ill-typed."""
    if isinstance(expr, Const):
        return expr.type
    if isinstance(expr, Current):
        if scope.current is None:
            raise ConditionError("'.' is only meaningful in a question's own constraint")
        return scope.current
    if isinstance(expr, Ref):
        found = schema.type_of(expr.name)
        if found is None:
            raise ConditionError(f"no question named {expr.name!r}")
        if found.kind == "rows":
            raise ConditionError(f"roster {expr.name!r} can only be used inside count/any/all/sum")
        container = schema.roster_of(expr.name)
        if container is not None and container not in scope.rosters:
            raise ConditionError(
                f"{expr.name!r} is inside roster {container!r}; use an aggregate over it"
            )
        return found
    if isinstance(expr, Unary):
        operand = check(expr.operand, schema, scope)
        _expect(operand, "bool" if expr.op == "not" else "number", expr.op)
        return BOOL if expr.op == "not" else NUMBER
    if isinstance(expr, Binary):
        return _check_binary(expr, schema, scope)
    return _check_call(expr, schema, scope)


def _expect(found: ValueType, kind: Kind, where: str) -> None:
    if found.kind not in (kind, "null"):
        raise ConditionError(f"{where} needs a {kind}, not a {found.describe()}")


def _check_literal_choice(left: ValueType, right: Expr, where: str) -> None:
    if (
        left.choices is not None
        and isinstance(right, Const)
        and isinstance(right.value, str)
        and right.value not in left.choices
    ):
        raise ConditionError(f"{right.value!r} is not a choice of {where}")


def _check_binary(expr: Binary, schema: Schema, scope: Scope) -> ValueType:
    left = check(expr.left, schema, scope)
    right = check(expr.right, schema, scope)
    if expr.op in ("and", "or"):
        _expect(left, "bool", expr.op)
        _expect(right, "bool", expr.op)
        return BOOL
    if expr.op in ("+", "-", "*", "/"):
        _expect(left, "number", expr.op)
        _expect(right, "number", expr.op)
        return NUMBER
    if "null" not in (left.kind, right.kind) and left.kind != right.kind:
        raise ConditionError(f"cannot compare a {left.kind} with a {right.kind}")
    kind = right.kind if left.kind == "null" else left.kind
    if kind not in ("number", "text", "date", "bool"):
        raise ConditionError(f"cannot compare a {kind} with {expr.op!r}")
    if kind in ("text", "bool") and expr.op not in ("=", "!="):
        raise ConditionError(f"a {kind} can only be compared with '=' or '!='")
    _check_literal_choice(left, expr.right, _describe(expr.left))
    _check_literal_choice(right, expr.left, _describe(expr.right))
    return BOOL


def _describe(expr: Expr) -> str:
    return repr(expr.name) if isinstance(expr, Ref) else "the expression"


def _roster_argument(call: Call, schema: Schema, scope: Scope) -> Scope:
    if not call.args or not isinstance(call.args[0], Ref):
        raise ConditionError(f"{call.name}() needs a roster as its first argument")
    name = call.args[0].name
    found = schema.type_of(name)
    if found is None or found.kind != "rows":
        raise ConditionError(f"{call.name}() needs a roster; {name!r} is not one")
    container = schema.roster_of(name)
    if container is not None and container not in scope.rosters:
        raise ConditionError(f"roster {name!r} is inside roster {container!r}")
    if name in scope.rosters:
        raise ConditionError(f"{call.name}({name}) cannot be used inside {name!r} itself")
    return Scope((*scope.rosters, name), scope.current)


def _arity(call: Call, *allowed: int) -> None:
    if len(call.args) not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ConditionError(f"{call.name}() takes {wanted} arguments, not {len(call.args)}")


def _check_call(call: Call, schema: Schema, scope: Scope) -> ValueType:
    name = call.name
    if name in ("count", "any", "all", "sum", "min", "max"):
        _arity(call, 1, 2) if name == "count" else _arity(call, 2)
        inner = _roster_argument(call, schema, scope)
        if len(call.args) == 2:
            kind: Kind = "number" if name in ("sum", "min", "max") else "bool"
            _expect(check(call.args[1], schema, inner), kind, f"{name}()")
        return BOOL if name in ("any", "all") else NUMBER
    if name == "position":
        _arity(call, 0)
        if not scope.rosters:
            raise ConditionError("position() is only meaningful inside a roster")
        return NUMBER
    if name == "date":
        _arity(call, 1)
        arg = call.args[0]
        if not (isinstance(arg, Const) and isinstance(arg.value, str)):
            raise ConditionError("date() takes a literal 'YYYY-MM-DD'")
        if parse_date(arg.value) is None:
            raise ConditionError(f"date({arg.value!r}) is not a valid date")
        return DATE
    types = [check(arg, schema, scope) for arg in call.args]
    if name in ("selected", "without"):
        _arity(call, 2)
        _expect(types[0], "choices", f"{name}()")
        if not (isinstance(call.args[1], Const) and isinstance(call.args[1].value, str)):
            raise ConditionError(f"{name}() takes a literal choice as its second argument")
        _check_literal_choice(types[0], call.args[1], _describe(call.args[0]))
        if name == "selected":
            return BOOL
        choice = call.args[1].value
        remaining = None if types[0].choices is None else types[0].choices - {choice}
        return ValueType("choices", remaining)
    if name == "if":
        _arity(call, 3)
        _expect(types[0], "bool", "if()")
        return _unify(types[1], types[2], name)
    if name == "coalesce":
        _arity(call, 2)
        return _unify(types[0], types[1], name)
    if name == "answered":
        _arity(call, 1)
        return BOOL
    signature = _SIMPLE.get(name)
    if signature is None:
        raise ConditionError(f"unknown function {name}()")
    params, result = signature
    _arity(call, len(params))
    for found, wanted in zip(types, params, strict=True):
        if wanted == "any":
            if found.kind not in ("number", "text", "null"):
                raise ConditionError(f"{name}() needs a number or text, not a {found.kind}")
        else:
            _expect(found, wanted, f"{name}()")
    return result


_SIMPLE: dict[str, tuple[tuple[Kind | Literal["any"], ...], ValueType]] = {
    "count_selected": (("choices",), NUMBER),
    "years": (("date", "date"), NUMBER),
    "year": (("date",), NUMBER),
    "length": (("text",), NUMBER),
    "only_digits": (("text",), BOOL),
    "text": (("any",), TEXT),
    "floor": (("number",), NUMBER),
    "citizen_id_fault": (("text", "text", "number"), TEXT),
}


def _unify(a: ValueType, b: ValueType, where: str) -> ValueType:
    if a.kind == "null":
        return b
    if b.kind == "null" or a == b:
        return a
    if a.kind != b.kind:
        raise ConditionError(f"{where}() branches differ: {a.kind} and {b.kind}")
    return ValueType(a.kind)


# Evaluation -------------------------------------------------------------------------------


class Env(Protocol):
    """The answers an expression is evaluated against, seen from one place in the form."""

    def value(self, name: str) -> Value:
        """Return the (clean) answer to question ``name`` in this scope; None if unanswered."""

    def rows(self, roster: str) -> Sequence[Env]:
        """Return one environment per row of ``roster``."""

    def position(self) -> int | None:
        """Return the 1-based row number of the innermost roster row, if any."""

    def current(self) -> Value:
        """Return the value of the question being checked."""


def evaluate(expr: Expr, env: Env) -> Value:
    """Return the value of a type-checked ``expr``; never raises on any answers."""
    try:
        return _eval(expr, env)
    except (ArithmeticError, ValueError, RecursionError):
        return None


def truth(value: Value) -> bool | None:
    """Return the three-valued truth of a condition's value."""
    return value if isinstance(value, bool) else None


def _eval(expr: Expr, env: Env) -> Value:
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref):
        return env.value(expr.name)
    if isinstance(expr, Current):
        return env.current()
    if isinstance(expr, Unary):
        operand = _eval(expr.operand, env)
        if expr.op == "not":
            flag = truth(operand)
            return None if flag is None else not flag
        return -operand if _is_number(operand) else None  # type: ignore[operator]
    if isinstance(expr, Binary):
        return _eval_binary(expr, env)
    return _eval_call(expr, env)


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _eval_binary(expr: Binary, env: Env) -> Value:
    if expr.op in ("and", "or"):
        left = truth(_eval(expr.left, env))
        decisive = expr.op == "or"
        if left is decisive:
            return decisive
        right = truth(_eval(expr.right, env))
        if right is decisive:
            return decisive
        return None if left is None or right is None else not decisive
    left_value = _eval(expr.left, env)
    right_value = _eval(expr.right, env)
    if left_value is None or right_value is None:
        return None
    if expr.op in _ARITHMETIC:
        if not (_is_number(left_value) and _is_number(right_value)):
            return None
        if expr.op == "/" and right_value == 0:
            return None
        result: float = _ARITHMETIC[expr.op](left_value, right_value)  # type: ignore[arg-type]
        return None if isinstance(result, float) and not math.isfinite(result) else result
    if type(left_value) is not type(right_value) and not (
        _is_number(left_value) and _is_number(right_value)
    ):
        return None
    return bool(_COMPARE[expr.op](left_value, right_value))


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}
_COMPARE: dict[str, Callable[[object, object], object]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _eval_aggregate(call: Call, env: Env) -> Value:
    assert isinstance(call.args[0], Ref)
    rows = env.rows(call.args[0].name)
    if call.name == "count" and len(call.args) == 1:
        return len(rows)
    values = [_eval(call.args[1], row) for row in rows]
    if call.name == "count":
        return sum(1 for value in values if value is True)
    if call.name in ("any", "all"):
        decisive = call.name == "any"
        flags = [truth(value) for value in values]
        if decisive in flags:
            return decisive
        return None if None in flags else not decisive
    numbers = [value for value in values if _is_number(value)]
    if call.name == "sum":
        return sum(numbers)  # type: ignore[arg-type]
    if not numbers:
        return None
    return (min if call.name == "min" else max)(numbers)  # type: ignore[type-var]


def _eval_call(call: Call, env: Env) -> Value:
    name = call.name
    if name in ("count", "any", "all", "sum", "min", "max"):
        return _eval_aggregate(call, env)
    if name == "position":
        return env.position()
    if name == "if":
        flag = truth(_eval(call.args[0], env))
        if flag is None:
            return None
        return _eval(call.args[1] if flag else call.args[2], env)
    args = [_eval(arg, env) for arg in call.args]
    if name == "answered":
        return args[0] not in (None, "", ())
    if name == "coalesce":
        return args[1] if args[0] is None else args[0]
    if name == "date":
        return parse_date(args[0]) if isinstance(args[0], str) else None
    if name == "citizen_id_fault":
        # Sex and birth year are compared only once recorded; the digits and the province
        # are checked without them.
        return _citizen_id_fault(*args)
    if any(arg is None for arg in args):
        return None
    return _FUNCTIONS[name](*args)


def _years(start: Value, end: Value) -> Value:
    if not (isinstance(start, date) and isinstance(end, date)):
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _citizen_id_fault(number: Value, sex: Value, birth_year: Value) -> Value:
    if not isinstance(number, str):
        return None
    return citizen_id_fault(
        number,
        "male" if sex == "male" else "female" if sex == "female" else None,
        int(birth_year) if isinstance(birth_year, int | float) else None,
    )


def _text(value: Value) -> Value:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int | float | str) else None


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "selected": lambda chosen, choice: isinstance(chosen, tuple) and choice in chosen,
    "without": lambda chosen, choice: (
        tuple(c for c in chosen if c != choice) if isinstance(chosen, tuple) else None
    ),
    "count_selected": lambda chosen: len(chosen) if isinstance(chosen, tuple) else None,
    "years": _years,
    "year": lambda day: day.year if isinstance(day, date) else None,
    "length": lambda text: len(text) if isinstance(text, str) else None,
    "only_digits": lambda text: (
        text.isascii() and text.isdigit() if isinstance(text, str) else None
    ),
    "text": _text,
    "floor": lambda number: math.floor(number) if _is_number(number) else None,
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> date | None:
    """Return the date written ``YYYY-MM-DD`` in ``text``, or None when it is not one."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
