"""Database plumbing: the declarative base, engines, and the request-scoped session."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    Dialect,
    MetaData,
    bindparam,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = JSON().with_variant(JSONB(), "postgresql")

# How long a SQLite write waits for the one before it: a queue of tablets syncing at once.
SQLITE_BUSY_MS = 30_000

# Keys of Session.info
COMMIT_ON_ERROR = "commit_on_error"
# An execution option of an engine whose transactions only read (server/jobs/worker.py): on
# SQLite they begin deferred, so a report that reads for seconds holds no write lock.
READ_ONLY = "rasoat_read_only"


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def make_engine(url: str, **options: Any) -> Engine:
    """Return an engine for ``url``; SQLite gets foreign keys and real SAVEPOINT support."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **options)

        # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN
        # (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cursor.close()

        # A deferred BEGIN that reads and then writes cannot wait for another writer: SQLite
        # answers "database is locked" at once rather than deadlock. Taking the write lock at
        # BEGIN makes concurrent requests queue on the busy timeout instead; WAL keeps readers
        # of other connections unblocked meanwhile.
        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            if connection.get_execution_options().get(READ_ONLY):
                connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def among(
    session: Session,
    column: ColumnElement[Any] | InstrumentedAttribute[Any],
    values: Sequence[Any],
) -> ColumnElement[bool]:
    """Return ``column IN (SELECT unnest(:values))`` on PostgreSQL, ``column IN (…)``
    elsewhere. One array parameter keeps the statement the same whatever the count, so
    psycopg parses it once and may prepare it (a list of parameters is a new statement for
    each length), and the semi-join lets the planner probe the index. (``= ANY(:values)``
    was slower on a table growing by the batch: a prepared statement's generic plan
    compared each row with every value of the array.)"""
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=ARRAY(column.expression.type))
        return column.in_(select(func.unnest(array)))
    return column.in_(values)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory the app uses for each request."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def get_session(request: Request) -> Iterator[Session]:
    """Yield the request's session; commit when the endpoint succeeds, roll back otherwise.

    A service may set ``session.info[COMMIT_ON_ERROR]`` when the failure it raises must still
    be recorded (a failed sign-in counts towards the lock-out).
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        try:
            yield session
        except BaseException:
            if session.info.get(COMMIT_ON_ERROR):
                session.commit()
            else:
                session.rollback()
            raise
        session.commit()


DbSession = Annotated[Session, Depends(get_session, scope="function")]
