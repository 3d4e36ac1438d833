"""`giamsat tenants backup`: one tenant's schema, shared rows, bucket and wrapped keys."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from giamsat.core import clock
from giamsat.core.db import SHARED_SCHEMA
from giamsat.core.storage import storage_for
from giamsat.tenancy.backup import schema_io
from giamsat.tenancy.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    Staged,
    close_staged,
    stage,
    write_archive,
)
from giamsat.tenancy.migrations import current_revision
from giamsat.tenancy.models import Tenant

#: Outbox columns that travel; `id` and `tenant_id` are shared ids, given anew on restore.
OUTBOX_COLUMNS = (
    "queue",
    "job_name",
    "args",
    "dedupe_key",
    "created_at",
    "enqueued_at",
    "done_at",
    "attempts",
    "last_error",
)


def app_version() -> str:
    try:
        return version("giamsat")
    except PackageNotFoundError:  # running from a source tree without metadata
        return "unknown"


#: Archive names: `<slug>-<UTC time>` + this.
ARCHIVE_SUFFIX = ".giamsat-backup.tar.gz"


def default_output(slug: str) -> Path:
    return Path(f"{slug}-{clock.now():%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}")


def backup_tenant(
    engine: Engine,
    settings,
    tenant: Tenant,
    output: Path,
    *,
    progress: Callable[[str], None] = print,
) -> tuple[dict[str, Any], str]:
    """Write the archive; returns (manifest, sha256 of the archive file).

    All rows are read in one REPEATABLE READ snapshot, so tables agree with each other."""
    schema = tenant.schema_name
    with tempfile.TemporaryDirectory(prefix="giamsat-backup-") as tmp:
        folder = Path(tmp)
        members: list[Staged] = []
        with engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        ) as conn:
            with conn.begin():
                revision = current_revision(conn, schema)
                shared_revision = current_revision(conn, SHARED_SCHEMA)
                tables = _dump_tables(conn, schema, folder, members, progress)
                sequences = schema_io.sequence_positions(conn, schema)
                outbox_rows = _dump_outbox(conn, tenant.id, folder, members)
                master_ids = sorted(
                    conn.scalars(
                        text(
                            "SELECT DISTINCT master_key_id FROM "
                            f"{schema_io.qualified(conn, schema, 'data_keys')}"
                        )
                    )
                )
        writer, path = stage(folder, "sequences.json")
        writer.write(json.dumps(sequences, sort_keys=True).encode())
        members.append(close_staged("sequences.json", writer, path))
        progress(f"  shared rows: tenant registry, {outbox_rows} outbox row(s)")
        objects = _dump_objects(settings, tenant, folder, members, progress)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": clock.now().isoformat(),
            "revisions": {"tenant": revision, "shared": shared_revision},
            "tenant": {
                "slug": tenant.slug,
                "name": tenant.name,
                "province_code": tenant.province_code,
                "status": tenant.status.value,
            },
            "tables": tables,
            "shared": {"outbox": {"member": "shared/outbox.csv", "rows": outbox_rows}},
            "objects": objects,
            # The wrapped data keys are in tables/data_keys.csv; these master keys unwrap them.
            "master_key_ids": master_ids,
        }
        progress(f"  writing {output}")
        digest = write_archive(output, manifest, members)
    return manifest, digest


def _dump_tables(conn, schema: str, folder: Path, members: list[Staged], progress) -> list[dict]:
    tables = schema_io.tables_in_load_order(conn, schema)
    described = []
    for number, table in enumerate(tables, start=1):
        columns = schema_io.copy_columns(conn, schema, table)
        name = f"tables/{table}.csv"
        writer, path = stage(folder, name)
        rows = schema_io.copy_out(conn, schema_io.qualified(conn, schema, table), columns, writer)
        members.append(close_staged(name, writer, path))
        described.append({"name": table, "member": name, "rows": rows, "columns": columns})
        progress(f"  [{number}/{len(tables)}] {table}: {rows} row(s)")
    return described


def _dump_outbox(conn, tenant_id: int, folder: Path, members: list[Staged]) -> int:
    name = "shared/outbox.csv"
    writer, path = stage(folder, name)
    rows = schema_io.copy_query_out(
        conn,
        f"SELECT {', '.join(OUTBOX_COLUMNS)} FROM shared.outbox "
        f"WHERE tenant_id = {int(tenant_id)} ORDER BY id",
        writer,
    )
    members.append(close_staged(name, writer, path))
    return rows


def _dump_objects(settings, tenant: Tenant, folder: Path, members: list[Staged], progress):
    storage = storage_for(tenant.bucket_name, settings)
    objects = []
    for number, key in enumerate(storage.keys(), start=1):
        name = f"objects/{number:08d}"
        writer, path = stage(folder, name)
        with storage.open(key) as reader:
            content_type = reader.stat.content_type
            for chunk in reader:
                writer.write(chunk)
        member = close_staged(name, writer, path)
        members.append(member)
        objects.append({"key": key, "member": name, "content_type": content_type})
        if number % 100 == 0:
            progress(f"  objects: {number}")
    progress(f"  objects: {len(objects)} from bucket {tenant.bucket_name}")
    return objects
