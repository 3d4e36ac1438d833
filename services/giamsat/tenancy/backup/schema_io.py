"""COPY in and out of one tenant schema: a logical export per table, so a restore can place it
in any schema and deployment (pg_dump -n cannot: its FKs and functions live in `shared`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection

from giamsat.core.db import TenantBase

#: Alembic's bookkeeping: recorded in the manifest, recreated by the migrations on restore.
SKIPPED_TABLES = frozenset({"alembic_version"})


class Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def qualified(connection: Connection, schema: str, table: str) -> str:
    return (
        f"{connection.dialect.identifier_preparer.quote_schema(schema)}.{_quote(connection, table)}"
    )


def tables_in_load_order(connection: Connection, schema: str) -> list[str]:
    """The schema's tables, parents before children (the models' dependency order)."""
    present = (
        set(
            connection.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            )
        )
        - SKIPPED_TABLES
    )
    ordered = [t.name for t in TenantBase.metadata.sorted_tables if t.name in present]
    unknown = sorted(present - set(ordered))
    if unknown:
        raise RuntimeError(f"{schema}: tables unknown to this version: {', '.join(unknown)}")
    return ordered


def copy_columns(connection: Connection, schema: str, table: str) -> list[str]:
    """Stored columns in their table order (generated columns are recomputed, not copied)."""
    return list(
        connection.scalars(
            text(
                "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum"
            ),
            {"t": qualified(connection, schema, table)},
        )
    )


def copy_out(connection: Connection, source: str, columns: Iterable[str], out: Writable) -> int:
    """COPY `source` (a qualified table) as CSV with a header into `out`. Returns the rows."""
    cols = ", ".join(_quote(connection, c) for c in columns)
    return _copy_out_sql(connection, f"COPY {source} ({cols}) TO STDOUT (FORMAT csv, HEADER)", out)


def copy_query_out(connection: Connection, query: str, out: Writable) -> int:
    return _copy_out_sql(connection, f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)", out)


def _copy_out_sql(connection: Connection, sql: str, out: Writable) -> int:
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(sql) as copy:
            for chunk in copy:
                out.write(chunk)
        return cursor.rowcount


def copy_in(
    connection: Connection, target: str, columns: list[str], chunks: Iterable[bytes]
) -> int:
    cols = ", ".join(_quote(connection, c) for c in columns)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f"COPY {target} ({cols}) FROM STDIN (FORMAT csv, HEADER)") as copy:
            for chunk in chunks:
                copy.write(chunk)
        return cursor.rowcount


def sequence_positions(connection: Connection, schema: str) -> dict[str, list]:
    """{sequence: [last_value, is_called]} of every sequence in the schema."""
    names = connection.scalars(
        text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s ORDER BY 1"),
        {"s": schema},
    )
    positions: dict[str, list] = {}
    for name in list(names):
        row = connection.execute(
            text(f"SELECT last_value, is_called FROM {qualified(connection, schema, name)}")
        ).one()
        positions[name] = [row.last_value, row.is_called]
    return positions


def restore_sequences(connection: Connection, schema: str, positions: dict[str, list]) -> None:
    for name, (value, is_called) in positions.items():
        connection.execute(
            text("SELECT setval(CAST(:seq AS regclass), :v, :c)"),
            {"seq": qualified(connection, schema, name), "v": value, "c": is_called},
        )
