"""New tenant schemas built by replaying recorded migrations are the same as migrated ones, and
Alembic keeps working on them."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from giamsat.tenancy import fresh_schema
from giamsat.tenancy.migrations import (
    current_revision,
    downgrade_tenant,
    heads,
    upgrade_tenant,
)

CATALOG = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, column_default,
               character_maximum_length, collation_name
        FROM information_schema.columns WHERE table_schema = :s""",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :s",
    "constraints": """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = :s""",
    "triggers": """
        SELECT t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = r.relnamespace
        WHERE n.nspname = :s AND NOT t.tgisinternal""",
    "sequences": "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = :s",
    "versions": "SELECT version_num FROM {schema}.alembic_version",
}


def _catalog(engine, schema: str) -> dict[str, list]:
    """Everything that defines the schema, with its name taken out so two schemas compare."""
    out = {}
    with engine.connect() as conn:
        for part, sql in CATALOG.items():
            rows = conn.execute(text(sql.format(schema=schema)), {"s": schema}).all()
            out[part] = sorted(
                tuple(str(v).replace(schema, "<schema>") if v is not None else None for v in row)
                for row in rows
            )
    return out


def _drop(engine, *schemas: str) -> None:
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def test_replayed_schema_equals_a_migrated_one(engine, migrations_dir):
    suffix = uuid.uuid4().hex[:8]
    replayed, migrated = f"t_replayed_{suffix}", f"t_migrated_{suffix}"
    try:
        upgrade_tenant(engine, migrations_dir, replayed)  # new and empty: the replay
        upgrade_tenant(engine, migrations_dir, migrated, replay=False)
        assert fresh_schema._recorded, "the replay path was not taken"
        first, second = _catalog(engine, replayed), _catalog(engine, migrated)
        assert first["versions"] == [(heads(migrations_dir, "tenant")[0],)]
        assert len(first["columns"]) > 100 and first["triggers"]  # a real schema, not an empty one
        assert first == second
    finally:
        _drop(engine, replayed, migrated)


def test_alembic_downgrades_and_upgrades_a_replayed_schema(engine, migrations_dir):
    schema = f"t_replayed_{uuid.uuid4().hex[:8]}"
    head = heads(migrations_dir, "tenant")[0]
    try:
        upgrade_tenant(engine, migrations_dir, schema)
        downgrade_tenant(engine, migrations_dir, schema, "-1")
        with engine.connect() as conn:
            behind = current_revision(conn, schema)
        assert behind not in (None, head)
        upgrade_tenant(engine, migrations_dir, schema)  # not empty any more: Alembic upgrades
        with engine.connect() as conn:
            assert current_revision(conn, schema) == head
    finally:
        _drop(engine, schema)


def test_recording_leaves_no_schema_behind(engine, migrations_dir):
    fresh_schema.record(engine, migrations_dir, heads(migrations_dir, "tenant")[0])
    with engine.connect() as conn:
        left = conn.scalar(
            text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"),
            {"s": fresh_schema.recording_schema()},
        )
    assert left == 0
