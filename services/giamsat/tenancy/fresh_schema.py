"""A new tenant schema from recorded migrations: the tenant migrations run once per process, for
real, on a throwaway schema whose transaction is rolled back, and every statement they sent is
kept; each new schema then replays those statements with its own name, in a few round trips.

Why: applying 34 provinces from an empty database would otherwise run the whole Alembic history
34 times (scripts loaded, operations built and compiled, ~150 round trips each). The replay is
exactly what Alembic sent — the version table and its revision included — so a replayed schema
is indistinguishable from a migrated one and later upgrades run on it as usual. Only empty new
schemas are replayed; an existing schema is always upgraded by Alembic itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from giamsat.tenancy.names import validate_schema_name


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any
    many: bool


#: (migrations folder, head) → the statements that build a schema at that head.
_recorded: dict[tuple[str, str], tuple[Statement, ...]] = {}


def recording_schema() -> str:
    """A name no tenant can have (slugs never start with "zz-recording") and no other process
    uses at the same time."""
    return validate_schema_name(f"t_zz_recording_{os.getpid()}")


def record(engine: Engine, migrations_dir: Path, head: str) -> tuple[Statement, ...]:
    """The statements Alembic sends to build an empty schema up to `head` (cached)."""
    from giamsat.tenancy.migrations import alembic_config, create_tenant_schema

    key = (str(migrations_dir), head)
    if key in _recorded:
        return _recorded[key]
    schema = recording_schema()
    statements: list[Statement] = []

    def keep(conn, cursor, sql, params, context, many) -> None:
        statements.append(Statement(sql, params, many))

    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            create_tenant_schema(conn, schema)
            event.listen(conn, "before_cursor_execute", keep)
            command.upgrade(alembic_config(migrations_dir, "tenant", conn, schema), head)
        finally:
            event.remove(conn, "before_cursor_execute", keep)
            transaction.rollback()
    _recorded[key] = tuple(statements)
    return _recorded[key]


def _renamed(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_renamed(v, old, new) for v in value)
    return value


def is_empty(connection: Connection, schema: str) -> bool:
    return not connection.scalar(
        text(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s"
        ),
        {"s": schema},
    )


def replay(connection: Connection, statements: tuple[Statement, ...], schema: str) -> None:
    """Build `schema` (empty, in `connection`'s transaction) from recorded statements.

    Statements sent without parameters go together, one round trip per run of them; the
    others one by one, exactly as recorded."""
    schema = validate_schema_name(schema)
    old = recording_schema()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    batch: list[str] = []

    def flush() -> None:
        if batch:
            cursor.execute(";\n".join(batch))
            batch.clear()

    try:
        for statement in statements:
            sql = statement.sql.replace(old, schema)
            if not statement.params and "%" not in sql:
                batch.append(sql)
                continue
            flush()
            params = _renamed(statement.params, old, schema)
            if statement.many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
        flush()
    finally:
        cursor.close()
