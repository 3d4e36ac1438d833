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


def _print_report(report, echo: Callable[[str], None]) -> None:
    echo(f"  done: {report.summary()}")
    for line in report.absent_units:
        echo(f"  kept (not in the manifest or the official data): {line}")
    for line in report.without_successor:
        echo(f"  kept without successor (marked, to be settled): {line}")
    for code in report.absent_levels:
        echo(f"  kept level not in the manifest: {code}")
    for key in report.kept_overridden_rules:
        echo(f"  kept rule changed by an admin: {key}")
    for key in report.unknown_rules:
        echo(f"  kept rule unknown to this version: {key}")


@click.group(help="Province tenants.")
def tenants() -> None:
    pass


@tenants.command(
    "apply",
    help="Create or update tenants from manifest files (tenants/*.toml). "
    "Every file is validated before anything is applied.",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only validate the manifests; change nothing.")
def apply(paths: tuple[Path, ...], check: bool) -> None:
    from giamsat.domains import load_models, rule_specs
    from giamsat.tenancy.manifest import ManifestError, load_manifest
    from giamsat.tenancy.migrations import upgrade_shared
    from giamsat.units.desired import check_manifest

    manifests, problems = [], []
    for path in paths:
        try:
            manifest = load_manifest(path, rules=rule_specs())
            check_manifest(manifest)
        except ManifestError as error:
            problems.append(str(error))
        else:
            manifests.append(manifest)
    slugs = [m.slug for m in manifests]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        problems.append(f"slug {slug!r} appears in more than one manifest")
    if problems:
        raise click.ClickException("invalid manifest, nothing applied:\n" + "\n".join(problems))
    if check:
        click.echo(f"{len(manifests)} manifest(s) valid")
        return

    load_models()
    settings = Settings.from_env()
    engine = _engine(settings)
    try:
        upgrade_shared(engine, settings.migrations_dir)
        for number, manifest in enumerate(manifests, start=1):
            click.echo(
                f"[{number}/{len(manifests)}] {manifest.path} → {manifest.slug} "
                f"({manifest.name}, province code {manifest.province_code})"
            )
            try:
                report = apply_manifest_file(engine, settings, manifest)
            except ManifestError as error:
                raise click.ClickException(str(error)) from None
            _print_report(report, click.echo)
    finally:
        engine.dispose()


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


def _register_backup() -> None:
    from giamsat.commands.backup import backup, restore

    tenants.add_command(backup)
    tenants.add_command(restore)


_register_backup()
