"""`giamsat db …`: migrations."""

from __future__ import annotations

import click
from sqlalchemy import select

from giamsat.core.config import Settings


def _engine(settings: Settings):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(settings.database_url, poolclass=NullPool)


@click.group(help="Database migrations (shared schema, then every tenant schema).")
def db() -> None:
    pass


@db.command("upgrade", help="Upgrade the shared schema, then every tenant (or one with --tenant).")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    help="Tenant schemas upgraded in parallel (separate processes).",
)
def db_upgrade(slug: str | None, jobs: int) -> None:
    from sqlalchemy.orm import Session

    from giamsat.domains import load_models
    from giamsat.tenancy.migrations import upgrade_shared, upgrade_tenants
    from giamsat.tenancy.models import Tenant

    load_models()
    settings = Settings.from_env()
    engine = _engine(settings)
    click.echo("shared: upgrading")
    upgrade_shared(engine, settings.migrations_dir)
    with Session(engine) as session:
        stmt = select(Tenant.schema_name).order_by(Tenant.slug)
        if slug:
            stmt = stmt.where(Tenant.slug == slug)
        schemas = list(session.scalars(stmt))
    if slug and not schemas:
        raise click.ClickException(f"unknown tenant: {slug}")
    upgrade_tenants(
        engine,
        settings.migrations_dir,
        schemas,
        jobs=jobs,
        progress=click.echo,
        role_prefix=settings.db_role_prefix,
    )
    engine.dispose()
