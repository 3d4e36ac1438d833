"""Runs the two Alembic environments: `shared` once, `tenant` once per tenant schema.

Migrations never run at app start; only `giamsat db upgrade` and `giamsat tenants apply` call here.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from giamsat.core.db import SHARED_SCHEMA
from giamsat.tenancy import fresh_schema
from giamsat.tenancy.names import validate_schema_name
from giamsat.tenancy.roles import ensure_tenant_role

FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s"


def alembic_config(
    migrations_dir: Path, env: str, connection: Connection | None = None, schema: str | None = None
) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir / env))
    cfg.set_main_option("file_template", FILE_TEMPLATE)
    cfg.set_main_option("timezone", "UTC")
    cfg.attributes["connection"] = connection
    cfg.attributes["schema"] = schema
    return cfg


def heads(migrations_dir: Path, env: str) -> list[str]:
    return list(_heads(str(migrations_dir), env))


@lru_cache(maxsize=8)
def _heads(migrations_dir: str, env: str) -> tuple[str, ...]:
    # The scripts do not change while a process runs; parsing them is most of a no-op upgrade.
    config = alembic_config(Path(migrations_dir), env)
    return tuple(ScriptDirectory.from_config(config).get_heads())


def current_revision(connection: Connection, schema: str) -> str | None:
    ctx = MigrationContext.configure(connection, opts={"version_table_schema": schema})
    return ctx.get_current_revision()


def _quoted(connection: Connection, schema: str) -> str:
    return connection.dialect.identifier_preparer.quote_schema(schema)


def upgrade_shared(engine: Engine, migrations_dir: Path, revision: str = "head") -> None:
    head = heads(migrations_dir, "shared")
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {_quoted(conn, SHARED_SCHEMA)}"))
        if revision == "head" and len(head) == 1:
            if current_revision(conn, SHARED_SCHEMA) == head[0]:
                return  # current: no need to load the scripts
        command.upgrade(alembic_config(migrations_dir, "shared", conn, SHARED_SCHEMA), revision)


def create_tenant_schema(connection: Connection, schema: str) -> None:
    schema = validate_schema_name(schema)
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {_quoted(connection, schema)}"))


def upgrade_tenant(
    engine: Engine,
    migrations_dir: Path,
    schema: str,
    revision: str = "head",
    *,
    role_prefix: str = "",
    replay: bool = True,
) -> None:
    """Migrate one schema and (re)grant its tenant role, in one transaction.

    To the newest revision, a new (empty) schema replays the recorded migrations
    (`fresh_schema`) and a schema already there is left to Alembic only if it is behind;
    `replay=False` always runs Alembic."""
    schema = validate_schema_name(schema)
    head = heads(migrations_dir, "tenant")
    to_head = revision == "head" and len(head) == 1
    with engine.begin() as conn:
        create_tenant_schema(conn, schema)
        current = current_revision(conn, schema)
        if to_head and current == head[0]:
            pass  # up to date: nothing for Alembic to do
        elif to_head and replay and current is None and fresh_schema.is_empty(conn, schema):
            fresh_schema.replay(conn, fresh_schema.record(engine, migrations_dir, head[0]), schema)
        else:
            command.upgrade(alembic_config(migrations_dir, "tenant", conn, schema), revision)
        ensure_tenant_role(conn, schema, role_prefix)


def downgrade_tenant(engine: Engine, migrations_dir: Path, schema: str, revision: str) -> None:
    schema = validate_schema_name(schema)
    with engine.begin() as conn:
        command.downgrade(alembic_config(migrations_dir, "tenant", conn, schema), revision)


def _upgrade_in_child(url: str, migrations_dir: Path, schema: str, role_prefix: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url, poolclass=NullPool)
    try:
        upgrade_tenant(engine, migrations_dir, schema, role_prefix=role_prefix)
    finally:
        engine.dispose()


def upgrade_tenants(
    engine: Engine,
    migrations_dir: Path,
    schemas: Iterable[str],
    *,
    jobs: int = 1,
    progress: Callable[[str], None] = print,
    role_prefix: str = "",
) -> None:
    """Upgrade each schema in its own transaction, `jobs` at a time.

    Tenant schemas share nothing, so upgrading several at once is safe. Alembic keeps its
    context in module globals, so parallel runs use processes, not threads. A failure in one
    schema leaves the others upgraded and is raised once all have finished.
    """
    schemas = [validate_schema_name(s) for s in schemas]
    total = len(schemas)
    failures: list[tuple[str, BaseException]] = []

    def report(done: int, schema: str, error: BaseException | None) -> None:
        if error is None:
            progress(f"[{done}/{total}] {schema}: ok")
        else:
            failures.append((schema, error))
            progress(f"[{done}/{total}] {schema}: FAILED ({error})")

    if jobs <= 1 or total <= 1:
        for done, schema in enumerate(schemas, start=1):
            try:
                upgrade_tenant(engine, migrations_dir, schema, role_prefix=role_prefix)
            except Exception as error:  # reported below, the others still run
                report(done, schema, error)
            else:
                report(done, schema, None)
    else:
        url = engine.url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {
                pool.submit(_upgrade_in_child, url, migrations_dir, s, role_prefix): s
                for s in schemas
            }
            for done, future in enumerate(as_completed(futures), start=1):
                report(done, futures[future], future.exception())
    if failures:
        raise RuntimeError(
            f"{len(failures)} tenant schema(s) failed: " + ", ".join(s for s, _ in failures)
        ) from failures[0][1]
