"""How a form's answers become an interchange document (``rasoat.household/1``).

The mapping is declared in the form file and compiled when the form loads: every key is checked
against the document's model, every expression is type-checked, and the choices a selection
can produce must be values the document's vocabulary accepts. So a released survey form can
only produce documents of the right shape; the engine's own parser still has the last word.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal, TypeAlias, Union

from shared.forms.conditions import (
    ConditionError,
    Env,
    Expr,
    Schema,
    Scope,
    ValueType,
    check,
    evaluate,
    parse,
    truth,
)
from shared.forms.model import DocumentMapping
from shared.household import Household

# Document classes are read through their annotations only, so any typed record will do.
TARGETS: dict[str, type] = {"rasoat.household/1": Household}
_SCALARS = (bool, int, float, str, date)


@dataclass(frozen=True)
class Leaf:
    expr: Expr
    integer: bool


@dataclass(frozen=True)
class Each:
    roster: str
    item: Object
    # Only the rows where this condition is true make an object (a member who died or moved
    # away stays in the form's roster, confirmed, but not in the household).
    where: Expr | None = None


@dataclass(frozen=True)
class Object:
    fields: tuple[tuple[str, Node], ...]


Node: TypeAlias = Leaf | Each | Object


@dataclass(frozen=True)
class CompiledDocument:
    format: str
    root: Object


@dataclass(frozen=True)
class _Shape:
    """What a document field accepts, read from its type annotation."""

    model: type | None = None
    many: bool = False
    kinds: frozenset[str] = frozenset()
    values: frozenset[str] | None = None
    integer: bool = False


def compile_mapping(mapping: DocumentMapping, schema: Schema) -> CompiledDocument:
    """Return the checked mapping; raise ``ConditionError`` naming the first bad field."""
    return CompiledDocument(
        mapping.format, _object(mapping.fields, TARGETS[mapping.format], schema, Scope(), "")
    )


def _object(
    raw: Mapping[str, Any], model: type, schema: Schema, scope: Scope, where: str
) -> Object:
    fields: list[tuple[str, Node]] = []
    hints = _fields(model)
    for key, value in raw.items():
        place = f"{where}{key}"
        if key == "format" and not where:
            raise ConditionError("document.format is written from the mapping's format")
        if key not in hints:
            raise ConditionError(f"{place}: the document has no field {key!r}")
        shape = _shape(hints[key])
        fields.append((key, _node(value, shape, schema, scope, place)))
    return Object(tuple(fields))


def _node(value: object, shape: _Shape, schema: Schema, scope: Scope, place: str) -> Node:
    if isinstance(value, str):
        if shape.model is not None:
            raise ConditionError(f"{place}: needs an object, not an expression")
        try:
            expr = parse(value)
            _accepts(shape, check(expr, schema, scope), place)
        except ConditionError as error:
            raise ConditionError(f"{place}: {error}") from None
        return Leaf(expr, shape.integer)
    if not isinstance(value, dict) or shape.model is None:
        raise ConditionError(f"{place}: needs an expression")
    if not shape.many:
        return _object(value, shape.model, schema, scope, f"{place}.")
    if set(value) - {"where"} != {"each", "fields"} or not isinstance(value["fields"], dict):
        raise ConditionError(
            f"{place}: a list is written {{each: roster, where: condition, fields: {{...}}}}"
        )
    roster = value["each"]
    found = schema.type_of(roster) if isinstance(roster, str) else None
    if (
        found is None
        or found.kind != "rows"
        or schema.roster_of(roster) not in (None, *scope.rosters)
    ):
        raise ConditionError(f"{place}: each: {roster!r} is not a roster in scope")
    inner = Scope((*scope.rosters, roster))
    where = None
    if "where" in value:
        try:
            where = parse(str(value["where"]))
            if check(where, schema, inner).kind not in ("bool", "null"):
                raise ConditionError("where: needs a condition")
        except ConditionError as error:
            raise ConditionError(f"{place}: {error}") from None
    return Each(roster, _object(value["fields"], shape.model, schema, inner, f"{place}[]."), where)


def _accepts(shape: _Shape, found: ValueType, place: str) -> None:
    if found.kind == "null":
        return
    if found.kind not in shape.kinds:
        wanted = " or ".join(sorted(shape.kinds))
        raise ConditionError(f"needs a {wanted}, not a {found.kind}")
    if shape.values is not None and found.choices is not None:
        extra = sorted(found.choices - shape.values)
        if extra:
            raise ConditionError(f"choices {extra} are not in the document's vocabulary")


def _fields(model: type) -> dict[str, Any]:
    try:
        hints = typing.get_type_hints(model, include_extras=True)
    except (NameError, TypeError):
        return {}
    return {
        name: hint
        for name, hint in hints.items()
        if not name.startswith("_") and typing.get_origin(hint) is not ClassVar
    }


def _shape(annotation: Any) -> _Shape:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _shape(inner)
    if origin is list:
        item = _shape(typing.get_args(annotation)[0])
        if item.model is not None:
            return _Shape(model=item.model, many=True)
        return _Shape(kinds=frozenset({"choices"}), values=item.values)
    if origin is Literal:
        return _Shape(kinds=frozenset({"text"}), values=frozenset(typing.get_args(annotation)))
    if isinstance(annotation, type) and annotation not in _SCALARS and _fields(annotation):
        return _Shape(model=annotation)
    if annotation is bool:
        return _Shape(kinds=frozenset({"bool"}))
    if annotation in (int, float):
        return _Shape(kinds=frozenset({"number"}), integer=annotation is int)
    if annotation is date:
        return _Shape(kinds=frozenset({"date"}))
    return _Shape(kinds=frozenset({"text"}))


def build_document(document: CompiledDocument, env: Env) -> dict[str, Any]:
    """Return the JSON-able document the answers in ``env`` map to; unanswered fields are left
    out."""
    return {"format": document.format, **(_build_object(document.root, env) or {})}


def _build_object(node: Object, env: Env) -> dict[str, Any] | None:
    built: dict[str, Any] = {}
    for key, child in node.fields:
        value = _build(child, env)
        if value is not None:
            built[key] = value
    return built or None


def _build(node: Node, env: Env) -> Any:
    if isinstance(node, Object):
        return _build_object(node, env)
    if isinstance(node, Each):
        return [
            _build_object(node.item, row) or {}
            for row in env.rows(node.roster)
            if node.where is None or truth(evaluate(node.where, row)) is True
        ]
    value = evaluate(node.expr, env)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    if node.integer and isinstance(value, float) and value.is_integer():
        return int(value)
    return value
