"""`giamsat tenants restore`: an archive into an empty deployment, or beside the live tenant
under a new slug. Shared ids are never reused: the registry row and outbox rows get new ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from giamsat.core.storage import ensure_bucket, storage_for
from giamsat.tenancy.backup import schema_io
from giamsat.tenancy.backup.archive import Archive, ArchiveError
from giamsat.tenancy.backup.dump import OUTBOX_COLUMNS
from giamsat.tenancy.migrations import heads, upgrade_shared, upgrade_tenant
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.names import bucket_for, schema_for, validate_slug


class RestoreRefused(Exception):
    """The target is not empty, or the archive cannot go into this deployment."""


def restore_tenant(
    engine: Engine,
    settings,
    path: Path,
    *,
    slug: str | None = None,
    name: str | None = None,
    province_code: int | None = None,
    progress: Callable[[str], None] = print,
) -> Tenant:
    """Verify every checksum, then recreate the tenant under `slug` (default: the archive's)."""
    with Archive(path) as archive:
        progress(f"  verified {archive.verify()} member(s) against the manifest")
        manifest = archive.manifest
        source = manifest["tenant"]
        slug = validate_slug(slug or source["slug"])
        code = province_code if province_code is not None else source["province_code"]
        revision = manifest["revisions"]["tenant"]
        upgrade_shared(engine, settings.migrations_dir)
        _check_target(engine, settings, slug, code, revision)
        with Session(engine, expire_on_commit=False) as session, session.begin():
            tenant = Tenant(
                slug=slug,
                name=name or source["name"],
                province_code=code,
                schema_name=schema_for(slug),
                bucket_name=bucket_for(slug, settings.s3_bucket_prefix),
                status=TenantStatus(source["status"]),
            )
            session.add(tenant)
        progress(f"  registry row {slug} (id {tenant.id}), schema {tenant.schema_name}")
        try:
            # The schema as it was when the backup was made; the data; then today's migrations.
            upgrade_tenant(
                engine,
                settings.migrations_dir,
                tenant.schema_name,
                revision,
                role_prefix=settings.db_role_prefix,
            )
            _load_rows(engine, archive, tenant, progress)
            upgrade_tenant(
                engine,
                settings.migrations_dir,
                tenant.schema_name,
                role_prefix=settings.db_role_prefix,
            )
            _load_objects(settings, archive, tenant, progress)
        except BaseException:
            _undo(engine, settings, tenant)
            progress(f"  failed: {slug} removed again (registry row, schema, objects)")
            raise
    with Session(engine) as session:
        tenant.db_role = session.scalar(select(Tenant.db_role).where(Tenant.id == tenant.id))
    return tenant


def _check_target(engine: Engine, settings, slug: str, code: int, revision: str) -> None:
    from alembic.script import ScriptDirectory

    from giamsat.tenancy.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config(settings.migrations_dir, "tenant"))
    try:
        script.get_revision(revision)
    except Exception:
        raise RestoreRefused(
            f"the archive's schema revision {revision!r} is unknown to this version "
            f"(its newest is {', '.join(heads(settings.migrations_dir, 'tenant'))}): "
            "restore with the version that made it, or a newer one"
        ) from None
    with Session(engine) as session:
        taken = session.scalar(select(Tenant.slug).where(Tenant.slug == slug))
        if taken:
            raise RestoreRefused(f"tenant {slug!r} exists: restore under a new slug (--as)")
        owner = session.scalar(select(Tenant.slug).where(Tenant.province_code == code))
        if owner:
            raise RestoreRefused(
                f"province code {code} belongs to tenant {owner!r}: give another (--province-code)"
            )
        schema = session.scalar(
            text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema_for(slug)}
        )
        if schema:
            raise RestoreRefused(f"schema {schema_for(slug)} exists: drop it or use another slug")
    bucket = bucket_for(slug, settings.s3_bucket_prefix)
    ensure_bucket(settings, bucket)
    if next(iter(storage_for(bucket, settings).keys()), None) is not None:
        raise RestoreRefused(f"bucket {bucket} is not empty: use another slug")


def _load_rows(engine: Engine, archive: Archive, tenant: Tenant, progress) -> None:
    manifest = archive.manifest
    schema = tenant.schema_name
    with engine.begin() as conn:
        tables = manifest["tables"]
        for number, table in enumerate(tables, start=1):
            target = schema_io.qualified(conn, schema, table["name"])
            rows = schema_io.copy_in(
                conn, target, table["columns"], archive.chunks(table["member"])
            )
            if rows != table["rows"]:
                raise ArchiveError(
                    f"{table['name']}: {rows} row(s) loaded, manifest says {table['rows']}"
                )
            progress(f"  [{number}/{len(tables)}] {table['name']}: {rows} row(s)")
        positions = json.load(archive.open("sequences.json"))
        schema_io.restore_sequences(conn, schema, positions)
        # Outbox rows under the new tenant id; pending ones are relayed again from here.
        conn.execute(
            text(
                "CREATE TEMP TABLE restored_outbox (LIKE shared.outbox INCLUDING DEFAULTS) "
                "ON COMMIT DROP"
            )
        )
        schema_io.copy_in(
            conn, "restored_outbox", list(OUTBOX_COLUMNS), archive.chunks("shared/outbox.csv")
        )
        cols = ", ".join(OUTBOX_COLUMNS)
        moved = conn.execute(
            text(
                f"INSERT INTO shared.outbox (tenant_id, {cols}) "
                f"SELECT :tenant, {cols} FROM restored_outbox ORDER BY created_at "
                "ON CONFLICT DO NOTHING"
            ),
            {"tenant": tenant.id},
        ).rowcount
        conn.execute(
            text(
                "UPDATE shared.outbox SET enqueued_at = NULL "
                "WHERE tenant_id = :tenant AND done_at IS NULL"
            ),
            {"tenant": tenant.id},
        )
        progress(f"  shared rows: {moved} outbox row(s) under tenant id {tenant.id}")


def _load_objects(settings, archive: Archive, tenant: Tenant, progress) -> None:
    storage = storage_for(tenant.bucket_name, settings)
    objects = archive.manifest["objects"]
    for number, item in enumerate(objects, start=1):
        size = archive.manifest["members"][item["member"]]["size"]
        storage.put(item["key"], archive.open(item["member"]), size, item["content_type"])
        if number % 100 == 0:
            progress(f"  objects: {number}/{len(objects)}")
    progress(f"  objects: {len(objects)} into bucket {tenant.bucket_name}")


def _undo(engine: Engine, settings, tenant: Tenant) -> None:
    """Remove what a failed restore made: all of it was empty before (checked)."""
    storage = storage_for(tenant.bucket_name, settings)
    for key in list(storage.keys()):
        storage.delete(key)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema_for(tenant.slug)}" CASCADE'))
        conn.execute(text("DELETE FROM shared.outbox WHERE tenant_id = :t"), {"t": tenant.id})
        conn.execute(text("DELETE FROM shared.tenants WHERE id = :t"), {"t": tenant.id})
