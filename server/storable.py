"""What the databases can hold: checked before a client's JSON is stored, so a value they
refuse is a clear refusal, never a 500."""

from __future__ import annotations

from typing import Any

import orjson

from shared.errors import ErrorCode, RasoatError

# Integers a database column or JSON document can hold (BIGINT, and orjson's limit).
_INT64 = 2**63


def unstorable(record: dict[str, Any]) -> RasoatError | None:
    """Return why a record cannot be stored: an integer beyond 64 bits, or a NUL
    character (PostgreSQL refuses it in text and JSON), anywhere in it. orjson answers for
    most records in C (it escapes NUL as \\u0000 and refuses integers past 53 bits with
    OPT_STRICT_INTEGER); only the rest are walked to name the field."""
    try:
        if b"\\u0000" not in orjson.dumps(record, option=orjson.OPT_STRICT_INTEGER):
            return None
    except TypeError:
        pass
    return _first_unstorable(record, "")


def _first_unstorable(value: Any, where: str) -> RasoatError | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not -_INT64 <= value < _INT64:
        return RasoatError(ErrorCode.NUMBER_OUT_OF_RANGE, field=where)
    if isinstance(value, str) and "\x00" in value:
        return RasoatError(ErrorCode.INVALID_TEXT, problem=f"NUL in {where}", field=where)
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            found = _first_unstorable(key, path) or _first_unstorable(item, path)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_unstorable(item, f"{where}.{index}")
            if found is not None:
                return found
    return None
