"""`giamsat tenants …`: apply province manifests (tenants/*.toml), list tenants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from giamsat.core.config import Settings


def _engine(settings: Settings) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(settings.database_url, poolclass=NullPool)


def _check_province_code_free(engine: Engine, manifest) -> None:
    from giamsat.tenancy.manifest import ManifestError
    from giamsat.tenancy.models import Tenant

    with Session(engine) as session:
        other = session.scalar(
            select(Tenant.slug).where(
                Tenant.province_code == manifest.province_code, Tenant.slug != manifest.slug
            )
        )
    if other is not None:
        raise ManifestError(
            manifest.path,
            [f"province_code {manifest.province_code} already belongs to tenant {other!r}"],
        )


def provision_domains(session, progress: Callable[[str], None]) -> None:
    """Each domain's per-tenant seed data (e.g. the classification catalogue), in order."""
    from giamsat import domains

    domains.provision_tenant(session, progress)


def apply_manifest_file(
    engine: Engine, settings: Settings, manifest, *, echo: Callable[[str], None] = click.echo
):
    """Create or update one tenant from a validated manifest: registry row, schema and
    migrations first (their own transactions), then everything inside the tenant schema in
    one transaction. Returns the ApplyReport."""
    from giamsat.core import audit
    from giamsat.core.db import Database
    from giamsat.core.storage import ensure_bucket
    from giamsat.identity import SystemActor
    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.models import TenantStatus
    from giamsat.tenancy.provision import ensure_tenant
    from giamsat.units.provisioning import apply_manifest

    _check_province_code_free(engine, manifest)
    echo(f"  registry, schema and migrations: {manifest.slug}")
    tenant, registry_changed = ensure_tenant(
        engine,
        settings.migrations_dir,
        slug=manifest.slug,
        name=manifest.name,
        province_code=manifest.province_code,
        status=TenantStatus(manifest.status),
        bucket_prefix=settings.s3_bucket_prefix,
        role_prefix=settings.db_role_prefix,
    )
    if ensure_bucket(settings, tenant.bucket_name):
        echo(f"  bucket {tenant.bucket_name}: created")
    with tenant_context(Database(engine), tenant) as scope:
        report = apply_manifest(scope.session, manifest, progress=echo)
        provision_domains(scope.session, progress=echo)
        if registry_changed:
            audit.record(
                scope.session,
                SystemActor(),
                action="register",
                object_type="tenant",
                object_id=tenant.slug,
                changes={
                    "name": [None, tenant.name],
                    "province_code": [None, tenant.province_code],
                    "status": [None, tenant.status.value],
                },
            )
        scope.session.commit()
    return report


@click.group(help="Province tenants.")
def tenants() -> None:
    pass


@tenants.command(
    "generate",
    help="Write the manifest of current provinces (official codes or slugs, or --all) from "
    "the official data, every rule at its documented default. An existing file is left alone "
    "unless --force.",
)
@click.argument("provinces", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="All 34 current provinces.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("tenants"),
    show_default=True,
    help="Folder the files are written to (<slug>.toml).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def generate(provinces: tuple[str, ...], all_: bool, out: Path, force: bool) -> None:
    from giamsat.domains import rule_specs
    from giamsat.units.manifest_generator import find_province, list_provinces, manifest_text

    if all_ == bool(provinces):
        raise click.UsageError("give province codes or slugs, or --all")
    if all_:
        chosen = list_provinces()
    else:
        chosen, unknown = [], []
        for wanted in provinces:
            entry = find_province(wanted)
            if entry is None:
                unknown.append(wanted)
            elif entry not in chosen:
                chosen.append(entry)
        if unknown:
            raise click.ClickException(
                "not a current province (official code or slug, e.g. 37 or ninh-binh): "
                + ", ".join(unknown)
            )
    out.mkdir(parents=True, exist_ok=True)
    specs = rule_specs()
    written = kept = 0
    for entry in chosen:
        path = out / f"{entry.slug}.toml"
        if path.exists() and not force:
            click.echo(f"{path}: exists, left alone (use --force to overwrite)")
            kept += 1
            continue
        path.write_text(manifest_text(entry, specs), encoding="utf-8")
        click.echo(
            f"{path}: written ({entry.name}, code {entry.code}, {entry.commune_count} communes)"
        )
        written += 1
    click.echo(f"{written} written, {kept} left alone")


@tenants.command("list", help="List the tenants in the registry.")
def list_() -> None:
    from giamsat.domains import load_models
    from giamsat.tenancy.registry import list_tenants

    load_models()
    engine = _engine(Settings.from_env())
    try:
        with Session(engine) as session:
            rows = list_tenants(session)
    finally:
        engine.dispose()
    if not rows:
        click.echo("no tenants yet: run `giamsat tenants apply tenants/<province>.toml`")
        return
    click.echo(f"{'slug':<20} {'code':>4}  {'status':<9} {'schema':<24} name")
    for t in rows:
        click.echo(
            f"{t.slug:<20} {t.province_code:>4}  {t.status.value:<9} {t.schema_name:<24} {t.name}"
        )


def _register_subcommands() -> None:
    from giamsat.commands.backup import backup, restore
    from giamsat.commands.tenants_apply import apply

    tenants.add_command(apply)
    tenants.add_command(backup)
    tenants.add_command(restore)


_register_subcommands()
