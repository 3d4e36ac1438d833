"""`giamsat tenants backup SLUG` and `giamsat tenants restore FILE`: one tenant, one archive."""

from __future__ import annotations

import re
from pathlib import Path

import click

from giamsat.core.config import Settings


@click.command(
    "backup",
    help="Write a tenant (schema data, its shared rows, bucket objects, wrapped "
    "reporter-data keys) to a checksummed archive; --all writes one per tenant.",
)
@click.argument("slug", required=False)
@click.option("--all", "all_", is_flag=True, help="Every tenant, one archive each.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive file (one tenant only; default <slug>-<UTC time>.giamsat-backup.tar.gz).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the archives (default: the current one).",
)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    help="Keep only the newest N archives of each backed-up tenant in the folder.",
)
def backup(
    slug: str | None, all_: bool, output: Path | None, output_dir: Path | None, keep: int | None
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from giamsat.domains import load_models
    from giamsat.tenancy.registry import get_tenant, list_tenants

    if all_ == bool(slug):
        raise click.UsageError("give either SLUG or --all")
    if output and all_:
        raise click.UsageError("--output names one archive: use --output-dir with --all")
    load_models()
    settings = Settings.from_env()
    engine = create_engine(settings.database_url, poolclass=NullPool)
    try:
        with Session(engine, expire_on_commit=False) as session:
            chosen = list_tenants(session) if all_ else [get_tenant(session, slug or "")]
        if chosen == [None]:
            raise click.ClickException(f"unknown tenant {slug!r} (see `giamsat tenants list`)")
        for number, tenant in enumerate(chosen, start=1):
            click.echo(f"[{number}/{len(chosen)}] backup of {tenant.slug} ({tenant.name})")
            _backup_one(engine, settings, tenant, output, output_dir, keep)
    finally:
        engine.dispose()


def _backup_one(engine, settings, tenant, output, output_dir, keep) -> None:
    from giamsat.tenancy.backup.dump import ARCHIVE_SUFFIX, backup_tenant, default_output

    output = output or default_output(tenant.slug)
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        output = output_dir / output.name
    click.echo(f"  → {output}")
    manifest, digest = backup_tenant(engine, settings, tenant, output, progress=click.echo)
    rows = sum(t["rows"] for t in manifest["tables"])
    click.echo(
        f"  done: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['objects'])} "
        f"objects; schema revision {manifest['revisions']['tenant']}"
    )
    click.echo(
        "  master key(s) needed to read reporter identities: "
        f"{', '.join(manifest['master_key_ids']) or 'none'} (not in the archive)"
    )
    click.echo(f"  sha256 {digest}  {output.name} (also in {output.name}.sha256)")
    if keep:
        # Names carry the UTC time, so they sort oldest first; "ha" never takes "ha-noi"'s.
        own = re.compile(rf"{re.escape(tenant.slug)}-\d{{8}}T\d{{6}}Z{re.escape(ARCHIVE_SUFFIX)}")
        older = sorted(p for p in output.parent.iterdir() if own.fullmatch(p.name))[:-keep]
        for old in older:
            old.unlink()
            old.with_name(old.name + ".sha256").unlink(missing_ok=True)
            click.echo(f"  removed old archive {old.name}")


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
