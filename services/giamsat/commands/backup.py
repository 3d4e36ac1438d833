"""`giamsat tenants backup SLUG` and `giamsat tenants restore FILE`: one tenant, one archive."""

from __future__ import annotations

from pathlib import Path

import click

from giamsat.core.config import Settings


@click.command(
    "backup",
    help="Write one tenant (schema data, its shared rows, bucket objects, "
    "wrapped reporter-data keys) to a checksummed archive.",
)
@click.argument("slug")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive file (default <slug>-<UTC time>.giamsat-backup.tar.gz).",
)
def backup(slug: str, output: Path | None) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from giamsat.domains import load_models
    from giamsat.tenancy.backup.dump import backup_tenant, default_output
    from giamsat.tenancy.registry import get_tenant

    load_models()
    settings = Settings.from_env()
    engine = create_engine(settings.database_url, poolclass=NullPool)
    try:
        with Session(engine, expire_on_commit=False) as session:
            tenant = get_tenant(session, slug)
        if tenant is None:
            raise click.ClickException(f"unknown tenant {slug!r} (see `giamsat tenants list`)")
        output = output or default_output(slug)
        click.echo(f"backup of {slug} ({tenant.name}) → {output}")
        manifest, digest = backup_tenant(engine, settings, tenant, output, progress=click.echo)
    finally:
        engine.dispose()
    rows = sum(t["rows"] for t in manifest["tables"])
    click.echo(
        f"done: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['objects'])} "
        f"objects; schema revision {manifest['revisions']['tenant']}"
    )
    click.echo(
        f"master key(s) needed to read reporter identities: "
        f"{', '.join(manifest['master_key_ids']) or 'none'} (not in the archive)"
    )
    click.echo(f"sha256 {digest}  {output.name} (also in {output.name}.sha256)")


@click.command(
    "restore",
    help="Restore a tenant archive into this deployment (empty, or beside "
    "the live tenant with --as NEWSLUG). Every checksum is verified first.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "slug", help="Slug of the restored tenant (default: the archive's).")
@click.option("--name", help="Display name (default: the archive's).")
@click.option(
    "--province-code",
    type=int,
    help="Province code (default: the archive's; must be free in this deployment).",
)
def restore(path: Path, slug: str | None, name: str | None, province_code: int | None) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from giamsat.domains import load_models
    from giamsat.tenancy.backup.archive import ArchiveError, file_sha256
    from giamsat.tenancy.backup.load import RestoreRefused, restore_tenant
    from giamsat.tenancy.names import InvalidName

    load_models()
    settings = Settings.from_env()
    click.echo(f"restore {path} (sha256 {file_sha256(path)})")
    engine = create_engine(settings.database_url, poolclass=NullPool)
    try:
        tenant = restore_tenant(
            engine,
            settings,
            path,
            slug=slug,
            name=name,
            province_code=province_code,
            progress=click.echo,
        )
    except (ArchiveError, RestoreRefused, InvalidName) as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    click.echo(
        f"done: tenant {tenant.slug} (schema {tenant.schema_name}, "
        f"bucket {tenant.bucket_name}, role {tenant.db_role})"
    )
