"""Engine, declarative bases and session factories.

Tenant tables are declared without a schema and bound per session through
`schema_translate_map`; shared tables carry `schema="shared"`. No session ever sets a
`search_path`, so tenancy cannot leak through a pooled connection. Every transaction of a
session on a schema first switches to that schema's role (`SET LOCAL ROLE`, through
`shared.enter_schema`): the database itself refuses other schemas (`tenancy.roles`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, create_engine, event, func, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, SessionTransaction, mapped_column

from giamsat.core import clock, columns  # noqa: F401  (columns: save-time length checks)

SHARED_SCHEMA = "shared"
#: `Session.info` key naming the schema whose role each transaction of the session enters.
ENTERS_SCHEMA = "giamsat_enters_schema"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class SharedBase(DeclarativeBase):
    """Tables of the platform itself (tenant registry), in the `shared` schema."""

    metadata = MetaData(schema=SHARED_SCHEMA, naming_convention=NAMING_CONVENTION)


class TenantBase(DeclarativeBase):
    """Tables a province owns; declared schema-less and mapped to `t_<slug>` per session."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def string_enum(cls, name: str, length: int = 30) -> Enum:
    """An enum stored as its plain string values (no database enum type): adding a value
    needs no migration, and the values read the same in SQL as in Python."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


def utcnow() -> dt.datetime:
    """Now, in UTC, from the one clock (`core.clock`)."""
    return clock.now()


class TimestampMixin:
    #: When the row was created (UTC).
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow
    )
    #: When the row last changed (UTC).
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow, onupdate=utcnow
    )


#: Seconds to open a connection, and to wait for a free one in the pool: a request during a
#: database outage answers 503 quickly instead of hanging (see `is_database_outage`).
CONNECT_TIMEOUT = 5
POOL_TIMEOUT = 10


#: Execution option (`stmt.execution_options(**{UNPREPARED: True})`): send the statement
#: unprepared. psycopg prepares a statement after five runs on a connection, and PostgreSQL
#: then may settle on a generic plan made without the values; for a statement whose best plan
#: depends on them (a search: a common word reads a page in queue order, a rare one its few
#: matches) that plan can be ten times slower.
UNPREPARED = "unprepared"


@event.listens_for(Engine, "do_execute")
def _execute_unprepared(cursor, statement, parameters, context) -> bool:
    if not context.execution_options.get(UNPREPARED):
        return False  # SQLAlchemy executes it as usual
    cursor.execute(statement, parameters, prepare=False)
    return True


def driver_rows(session: Session, statement: Any) -> Sequence[Any]:
    """The statement's rows as the driver returns them (plain tuples), for a bulk read whose
    columns need no result processing (integers, text, dates): SQLAlchemy's Row objects cost
    ~2 µs each, 50 ms for a recompute's 23,000 aggregate rows."""
    result = session.connection().execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def make_engine(url: str, pool_size: int = 5) -> Engine:
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=POOL_TIMEOUT,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
    )


#: SQLSTATEs of a server going away or not there yet: admin/crash shutdown, starting up,
#: too many connections. Class 08 (connection exceptions) counts too.
_OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})


def is_database_outage(error: BaseException) -> bool:
    """Whether `error` (or what caused it) means PostgreSQL cannot be reached right now, as
    opposed to a statement that failed: connection refused or lost, server shutting down or
    starting, no free connection in the pool. Such a request changed nothing (its transaction
    never committed); the caller may say "try again" with 503."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa_exc.TimeoutError):  # the pool had no connection to give
            return True
        if isinstance(current, sa_exc.DBAPIError):
            if current.connection_invalidated:
                return True
            if isinstance(current, (sa_exc.OperationalError, sa_exc.InterfaceError)):
                state = getattr(current.orig, "sqlstate", None)
                # psycopg has no SQLSTATE for a failed connect or a dropped socket.
                if state is None or state.startswith("08") or state in _OUTAGE_STATES:
                    return True
            return False
        # Only an explicit `raise … from`: an error raised *while handling* an outage (a bug
        # in a handler) is not one.
        current = current.__cause__
    return False


class Database:
    """Hands out sessions bound to one schema (through the schema translate map, so a session
    of tenant A can never run in tenant B's schema)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._binds: dict[str, Engine | Connection] = {}

    def _bind_for(self, schema: str | None) -> Engine | Connection:
        key = schema or ""
        bind = self._binds.get(key)
        if bind is None:
            bind = (
                self.engine.execution_options(schema_translate_map={None: schema})
                if schema
                else self.engine
            )
            self._binds[key] = bind
        return bind

    def checkout(self) -> Connection | None:
        """One pooled connection (one pre-ping) for a request's registry read and then its
        tenant session (`session(schema, connection=…)` takes over the transaction the read
        began): not a checkout of its own for each. None where the database is a connection
        already (tests): `shared_reads` then."""
        bind = self._bind_for(None)
        return None if isinstance(bind, Connection) else bind.connect()

    def session(
        self, schema: str | None = None, connection: Connection | None = None, **kwargs: Any
    ) -> Session:
        bind: Engine | Connection
        if connection is not None:
            # A connection of `checkout`, used by this request alone: its options are its own.
            if schema:
                connection = connection.execution_options(schema_translate_map={None: schema})
            kwargs.setdefault("join_transaction_mode", "control_fully")
            bind = connection
        else:
            bind = self._bind_for(schema)
        if isinstance(bind, Connection) and connection is None:
            # A connection already in a transaction (tests): sessions nest in SAVEPOINTs.
            kwargs.setdefault("join_transaction_mode", "create_savepoint")
        session = Session(bind=bind, expire_on_commit=False, **kwargs)
        if schema:
            session.info[ENTERS_SCHEMA] = schema
        return session

    @contextmanager
    def shared_reads(self) -> Iterator[Connection]:
        """A connection for one-statement reads of shared rows (the tenant registry every
        request resolves), outside any transaction: a session would add a BEGIN and a
        ROLLBACK round trip around the one SELECT. For reads only: each statement commits."""
        bind = self._bind_for(None)
        if isinstance(bind, Connection):
            yield bind  # a connection already in a transaction (tests): read inside it
            return
        with bind.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def dispose(self) -> None:
        self.engine.dispose()


@event.listens_for(Session, "after_begin")
def _enter_schema_role(session: Session, transaction: SessionTransaction, connection) -> None:
    """The first statement of every transaction (or SAVEPOINT, in tests) of a schema's session.

    SET LOCAL lasts until the transaction ends, so a pooled connection goes back clean; the
    function raises when the schema has no role, so a tenant session never runs as the owner.
    """
    schema = session.info.get(ENTERS_SCHEMA)
    if schema:
        connection.execute(text("SELECT shared.enter_schema(:schema)"), {"schema": schema})
