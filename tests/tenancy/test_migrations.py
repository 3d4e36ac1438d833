"""Both Alembic environments: one head each, no drift from the models, reversible newest step."""

from __future__ import annotations

import uuid

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from giamsat.core.db import SHARED_SCHEMA, SharedBase, TenantBase
from giamsat.tenancy.migrations import (
    alembic_config,
    current_revision,
    downgrade_tenant,
    heads,
    upgrade_tenant,
)


def test_each_environment_has_exactly_one_head(migrations_dir):
    for env in ("shared", "tenant"):
        assert len(heads(migrations_dir, env)) == 1, env


def test_migration_file_names_follow_the_convention(migrations_dir):
    import re

    pattern = re.compile(r"^\d{8}_\d{4}_[0-9a-z]+_[a-z0-9_]+\.py$")
    for env in ("shared", "tenant"):
        for path in (migrations_dir / env / "versions").glob("*.py"):
            assert pattern.match(path.name), path.name


def _scratch_schema(engine):
    return f"t_scratch_{uuid.uuid4().hex[:8]}"


def _drop(engine, schema):
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def _generated_columns(conn, schema: str) -> dict[tuple[str, str], str]:
    """{(table, column): generation expression} of the stored generated columns."""
    rows = conn.execute(
        text(
            "SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE n.nspname = :s AND a.attgenerated = 's'"
        ),
        {"s": schema},
    )
    return {(table, column): expression for table, column, expression in rows}


def test_fresh_tenant_upgrade_matches_the_models(engine, migrations_dir):
    schema = _scratch_schema(engine)
    try:
        upgrade_tenant(engine, migrations_dir, schema)
        with engine.connect() as conn:
            # Test-only: reflect the scratch schema as the default one so schema-less models
            # compare against it.
            conn.execute(text(f'SET search_path TO "{schema}", public'))
            ctx = MigrationContext.configure(conn)
            diff = compare_metadata(ctx, TenantBase.metadata)
            conn.rollback()
            generated = _generated_columns(conn, schema)
        assert diff == []
        # Alembic does not compare generation expressions: the same columns, folded from the
        # same source columns.
        expected = {
            (table.name, column.name): str(column.computed.sqltext)
            for table in TenantBase.metadata.tables.values()
            for column in table.columns
            if column.computed is not None
        }
        assert set(generated) == set(expected) and expected
        for key, expression in expected.items():
            assert "shared.fold" in generated[key], key
            for source in ("title", "content", "concerned", "search_extra"):
                assert (source in expression) == (source in generated[key]), (key, source)
    finally:
        _drop(engine, schema)


def test_shared_schema_matches_the_models(engine):
    def include_name(name, type_, parent_names):
        return name == SHARED_SCHEMA if type_ == "schema" else True

    def include_object(obj, name, type_, reflected, compare_to):
        # Alembic's own bookkeeping table is not a model.
        return not (type_ == "table" and name == "alembic_version")

    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_name": include_name,
                "include_object": include_object,
            },
        )
        assert compare_metadata(ctx, SharedBase.metadata) == []


def test_newest_tenant_revision_downgrades_and_upgrades_again(engine, migrations_dir):
    schema = _scratch_schema(engine)
    script = ScriptDirectory.from_config(alembic_config(migrations_dir, "tenant"))
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision or "base"
    try:
        upgrade_tenant(engine, migrations_dir, schema)
        downgrade_tenant(engine, migrations_dir, schema, previous)
        with engine.connect() as conn:
            assert current_revision(conn, schema) == (None if previous == "base" else previous)
        upgrade_tenant(engine, migrations_dir, schema)
        with engine.connect() as conn:
            assert current_revision(conn, schema) == head
    finally:
        _drop(engine, schema)


def test_tenant_tables_live_only_in_the_tenant_schema(engine, world):
    with engine.connect() as conn:
        public = conn.execute(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        ).scalar()
        version_tables = (
            conn.execute(
                text(
                    "SELECT table_schema FROM information_schema.tables "
                    "WHERE table_name = 'alembic_version' ORDER BY 1"
                )
            )
            .scalars()
            .all()
        )
    assert public == 0
    assert {SHARED_SCHEMA, world.alpha.schema, world.beta.schema} <= set(version_tables)
