"""`giamsat tenants backup` / `restore`: one tenant round-trips whole — every table, every
object, every decrypted reporter identity — beside the live one and into an empty deployment."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import tarfile
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from giamsat.accounts.models import User
from giamsat.cases import operations, protection
from giamsat.cases.models import ReporterIdentity, ReporterMode
from giamsat.cli import main
from giamsat.core import clock
from giamsat.core.db import Database
from giamsat.core.storage import storage_for
from giamsat.identity import Principal
from giamsat.jobs.outbox import record_job
from giamsat.tenancy.backup import schema_io
from giamsat.tenancy.backup.archive import MANIFEST
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.roles import default_role_prefix, drop_roles_with_prefix
from tests.plugins.tenancy import drop_tenant
from tests.plugins.world import build_tenant

REPORTERS = [
    {"name": "Nguyễn Văn An", "contact": "0912 345 678", "address": "Thôn Một"},
    {"name": "Trần Thị Bình", "contact": "binh@example.vn", "address": "Tổ dân phố Hai"},
]
OBJECTS = {
    "letters/scan-1.pdf": os.urandom(3 * 1024 * 1024 + 17),
    "cases/note.txt": "Ghi chú ấ".encode(),
}


def _cli(cli_env, *args, **env):
    result = CliRunner().invoke(main, list(args), env={**cli_env, **env}, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def source(engine, migrations_dir_session, settings, world):
    """A committed tenant with cases, two protected reporters and objects in its bucket."""
    slug = "bk-src"
    tw = build_tenant(engine, migrations_dir_session, slug, "Sao Lưu", 95)
    db = Database(engine)
    with Database(engine).session() as shared:
        tenant = shared.get(Tenant, tw.tenant_id)
    from giamsat.core.storage import ensure_bucket

    ensure_bucket(settings, tenant.bucket_name)
    storage = storage_for(tenant.bucket_name, settings)
    for key, body in OBJECTS.items():
        storage.put(key, io.BytesIO(body), len(body), "application/octet-stream")
    with protection.using_master_keys(settings.master_keys), tenant_context(db, tenant) as scope:
        principal = Principal.of(scope.session.get(User, tw.users["x-staff"]))
        for reporter in REPORTERS:
            operations.receive_case(
                scope.session,
                principal,
                unit_id=tw.commune_x,
                received_on=clock.today(),
                channel="in_person",
                kind="denunciation",
                title="Tố cáo cán bộ",
                content="Nội dung thử nghiệm sao lưu.",
                reporter_mode=ReporterMode.confidential,
                reporter=reporter,
            )
        # A job waiting in the outbox, carried by the archive.
        record_job(scope.session, "tests.plugins.sample_jobs.mark_area", unit_id=tw.area_x)
        scope.session.commit()
    yield tenant
    drop_tenant(engine, slug)


def _schema_dump(engine, schema: str) -> dict[str, bytes]:
    with engine.connect() as conn:
        dumped = {}
        for table in schema_io.tables_in_load_order(conn, schema):
            out = io.BytesIO()
            columns = schema_io.copy_columns(conn, schema, table)
            order = ", ".join(f'"{c}"' for c in columns)
            schema_io.copy_query_out(
                conn,
                f"SELECT {order} FROM {schema_io.qualified(conn, schema, table)} ORDER BY {order}",
                out,
            )
            dumped[table] = out.getvalue()
        dumped["sequences"] = json.dumps(schema_io.sequence_positions(conn, schema)).encode()
        return dumped


def _identities(engine, tenant, keys) -> list[dict]:
    with (
        protection.using_master_keys(keys) as keyring,
        tenant_context(Database(engine), tenant) as scope,
    ):
        rows = scope.session.scalars(select(ReporterIdentity).order_by(ReporterIdentity.case_id))
        return [protection._decrypt_identity(scope.session, keyring, row) for row in rows]


def _job_keys(engine, tenant_id: int) -> set[str]:
    with engine.connect() as conn:
        query = text("SELECT job_key FROM shared.outbox WHERE tenant_id = :t")
        return set(conn.execute(query, {"t": tenant_id}).scalars())


def _objects(settings, bucket: str) -> dict[str, bytes]:
    storage = storage_for(bucket, settings)
    found = {}
    for key in storage.keys():
        with storage.open(key) as reader:
            found[key] = reader.read()
    return found


@pytest.fixture(scope="module")
def archive(source, cli_env, tmp_path_factory):
    path = tmp_path_factory.mktemp("backup") / "bk-src.tar.gz"
    result = _cli(cli_env, "tenants", "backup", "bk-src", "--output", str(path))
    assert result.exit_code == 0, result.output
    return path, result.output


def test_the_archive_is_versioned_checksummed_and_holds_no_master_key(archive, settings):
    path, output = archive
    assert "cases: 2 row(s)" in output and "reporter_identities: 2 row(s)" in output
    sidecar = path.with_name(path.name + ".sha256").read_text().split()
    assert sidecar[1] == path.name and f"sha256 {sidecar[0]}" in output
    with tarfile.open(path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(MANIFEST))
        everything = b"".join(tar.extractfile(n).read() for n in names)
    assert names[0] == MANIFEST
    assert manifest["format"] == "giamsat-tenant-backup" and manifest["format_version"] == 1
    assert manifest["revisions"]["tenant"] and manifest["app_version"]
    assert set(manifest["members"]) == set(names[1:])
    assert {t["name"]: t["rows"] for t in manifest["tables"]}["reporter_identities"] == 2
    assert manifest["master_key_ids"] == ["test"]
    assert sorted(o["key"] for o in manifest["objects"]) == sorted(OBJECTS)
    master = settings.master_keys.split(":", 1)[1].encode()
    assert master not in everything
    # Reporter names are encrypted in the archive as in the database.
    assert "Nguyễn Văn An".encode() not in everything


def test_restore_beside_the_live_tenant_is_identical(archive, source, engine, settings, cli_env):
    path, _ = archive
    result = _cli(
        cli_env, "tenants", "restore", str(path), "--as", "bk-copy", "--province-code", "96"
    )
    try:
        assert result.exit_code == 0, result.output
        assert "verified" in result.output and "done: tenant bk-copy" in result.output
        with Database(engine).session() as shared:
            copy = shared.scalar(select(Tenant).where(Tenant.slug == "bk-copy"))
        assert copy.id != source.id and copy.db_role != source.db_role
        assert _schema_dump(engine, copy.schema_name) == _schema_dump(engine, source.schema_name)
        assert _objects(settings, copy.bucket_name) == OBJECTS
        assert _identities(engine, copy, settings.master_keys) == REPORTERS
        # Its jobs came along under fresh job keys: no RQ job of the source's rows is theirs.
        assert _job_keys(engine, copy.id) and not _job_keys(engine, copy.id) & _job_keys(
            engine, source.id
        )
        # The copy sits behind its own wall.
        with tenant_context(Database(engine), copy) as scope:
            with pytest.raises(Exception, match="permission denied"):
                scope.session.execute(text(f"SELECT * FROM {source.schema_name}.cases"))
        # A second restore under the same slug is refused, nothing changed.
        again = _cli(cli_env, "tenants", "restore", str(path), "--as", "bk-copy")
        assert again.exit_code != 0 and "exists" in again.output
    finally:
        _drop_copy(engine, settings, "bk-copy")


def test_restore_into_an_empty_deployment(archive, source, engine, settings, cli_env):
    path, _ = archive
    name = f"giamsat_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        make_url(settings.database_url).set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(settings.database_url).set(database=name).render_as_string(hide_password=False)
    prefix = settings.s3_bucket_prefix + "e"
    other = dataclasses.replace(settings, database_url=url, s3_bucket_prefix=prefix)
    try:
        result = _cli(
            cli_env,
            "tenants",
            "restore",
            str(path),
            GIAMSAT_DATABASE_URL=url,
            GIAMSAT_S3_BUCKET_PREFIX=prefix,
        )
        assert result.exit_code == 0, result.output
        fresh = create_engine(url, poolclass=NullPool)
        with Database(fresh).session() as shared:
            restored = shared.scalar(select(Tenant).where(Tenant.slug == "bk-src"))
        assert restored.province_code == source.province_code
        assert restored.db_role.startswith(default_role_prefix(name))
        assert _schema_dump(fresh, restored.schema_name) == _schema_dump(engine, source.schema_name)
        assert _objects(other, restored.bucket_name) == OBJECTS
        assert _identities(fresh, restored, settings.master_keys) == REPORTERS
        fresh.dispose()
        for key in storage_for(restored.bucket_name, other).keys():
            storage_for(restored.bucket_name, other).delete(key)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            drop_roles_with_prefix(conn, default_role_prefix(name))
        admin.dispose()


def test_an_altered_archive_is_refused_before_anything_is_written(
    archive, engine, cli_env, tmp_path
):
    path, _ = archive
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(path) as src, tarfile.open(altered, "w:gz") as dst:
        for member in src.getmembers():
            body = src.extractfile(member).read()
            if member.name == "tables/cases.csv":
                body = body.replace("Tố cáo".encode(), "Tó cáo".encode())
                member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    result = _cli(
        cli_env, "tenants", "restore", str(altered), "--as", "bk-bad", "--province-code", "97"
    )
    assert result.exit_code != 0 and "does not match its checksum" in result.output
    with Database(engine).session() as shared:
        assert shared.scalar(select(Tenant).where(Tenant.slug == "bk-bad")) is None


def _drop_copy(engine, settings, slug: str) -> None:
    with Database(engine).session() as shared:
        tenant = shared.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        return
    storage = storage_for(tenant.bucket_name, settings)
    for key in list(storage.keys()):
        storage.delete(key)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM shared.outbox WHERE tenant_id = :t"), {"t": tenant.id})
    drop_tenant(engine, slug)


def test_keep_removes_only_the_tenants_own_older_archives(source, cli_env, tmp_path):
    old = tmp_path / "bk-src-20200101T000000Z.giamsat-backup.tar.gz"
    other = tmp_path / "bk-src-two-20200101T000000Z.giamsat-backup.tar.gz"
    for path in (old, other):
        path.write_bytes(b"old")
    result = _cli(
        cli_env, "tenants", "backup", "bk-src", "--output-dir", str(tmp_path), "--keep", "1"
    )
    assert result.exit_code == 0, result.output
    archives = sorted(p.name for p in tmp_path.glob("*.tar.gz"))
    assert not old.exists() and other.exists()
    assert len(archives) == 2 and f"removed old archive {old.name}" in result.output


def test_an_archive_of_an_unknown_format_version_is_refused(archive, cli_env, tmp_path):
    path, _ = archive
    future = tmp_path / "future.tar.gz"
    with tarfile.open(path) as src, tarfile.open(future, "w:gz") as dst:
        for member in src.getmembers():
            body = src.extractfile(member).read()
            if member.name == MANIFEST:
                body = json.dumps({**json.loads(body), "format_version": 99}).encode()
                member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    result = _cli(cli_env, "tenants", "restore", str(future), "--as", "bk-future")
    assert result.exit_code != 0 and "format version 99" in result.output
