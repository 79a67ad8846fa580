"""Many rows in one INSERT on PostgreSQL: one array per column."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import JSON, Connection, Dialect, String, Table


@cache
def _unnest_sql(dialect: Dialect, table: Table, names: tuple[str, ...], returning: str) -> str:
    """Return ``INSERT INTO table (names) SELECT … FROM unnest(%(name)b::type[], …) WITH
    ORDINALITY ORDER BY ordinality [RETURNING returning]`` for PostgreSQL. Text travels as
    TEXT: an explicit cast to VARCHAR(n) would cut a long value where the INSERT refuses it."""
    quote = dialect.identifier_preparer.quote
    arrays, values = [], []
    for name in names:
        column = table.c[name]
        json = isinstance(column.type, JSON)
        text_like = json or isinstance(column.type, String)
        carried = "TEXT" if text_like else column.type.compile(dialect=dialect)
        arrays.append(f"%({name})b::{carried}[]")
        values.append(f"CAST(u.{quote(name)} AS JSONB)" if json else f"u.{quote(name)}")
    columns = ", ".join(quote(name) for name in names)
    return (
        f"INSERT INTO {quote(table.name)} ({columns}) SELECT {', '.join(values)} "
        f"FROM unnest({', '.join(arrays)}) WITH ORDINALITY AS u({columns}, ordinal) "
        f"ORDER BY u.ordinal" + (f" RETURNING {quote(returning)}" if returning else "")
    )


def insert_columns(
    connection: Connection, table: Table, arrays: dict[str, list[Any]], returning: str = ""
) -> list[Any]:
    """Insert the rows given column by column in one statement (PostgreSQL) and return the
    ``returning`` column's values in the order of the rows.

    One array per column, sent binary (%b): the statement stays short and the same whatever
    the batch size, where psycopg sends an executemany as one INSERT per row and SQLAlchemy's
    multi-row VALUES needs a parameter per value. JSON travels as text. Values of a
    server-generated integer key follow the ORDER BY of an INSERT … SELECT, as SQLAlchemy's
    insertmanyvalues relies on for PostgreSQL (USE_INSERT_FROM_SELECT), so they sort in row
    order."""
    sql = _unnest_sql(connection.dialect, table, tuple(arrays), returning)
    result = connection.exec_driver_sql(sql, arrays)
    return sorted(row[0] for row in result) if returning else []
