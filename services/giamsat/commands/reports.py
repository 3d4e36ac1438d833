"""`giamsat reports …`: report periods of past years on demand."""

from __future__ import annotations

import click

from giamsat.core.config import Settings


@click.group(help="Report periods and figures.")
def reports() -> None:
    pass


@reports.command(
    "periods",
    help="Generate the regular periods (quarters, 6 months, year) of past years for a tenant, "
    "e.g. --year 2023 --year 2024, and compute their figures through the tree as it stood "
    "on each period's last day. Existing periods are left alone.",
)
@click.option("--tenant", "slug", required=True, help="Tenant slug, e.g. ninh-binh.")
@click.option(
    "--year", "years", multiple=True, required=True, type=int, help="A year; repeat for more."
)
@click.option("--no-recompute", is_flag=True, help="Only create the periods.")
def periods(slug: str, years: tuple[int, ...], no_recompute: bool) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from giamsat.core.db import Database
    from giamsat.core.errors import DomainError
    from giamsat.domains import load_models
    from giamsat.reports.operations import generate_past_periods
    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.registry import get_tenant

    load_models()
    engine = create_engine(Settings.from_env().database_url, poolclass=NullPool)
    try:
        database = Database(engine)
        with database.session() as shared:
            tenant = get_tenant(shared, slug)
        if tenant is None:
            raise click.ClickException(f"unknown tenant {slug!r} (see `giamsat tenants list`)")
        with tenant_context(database, tenant) as scope:
            try:
                result = generate_past_periods(
                    scope.session, list(years), recompute=not no_recompute
                )
            except DomainError as error:
                raise click.ClickException(f"{slug}: {error.message}") from None
            scope.session.commit()
    finally:
        engine.dispose()
    for period in result.created:
        click.echo(
            f"  {period.title}: {period.starts_on:%d/%m/%Y}–{period.ends_on:%d/%m/%Y}, "
            f"hạn {period.due_on:%d/%m/%Y}"
        )
    click.echo(
        f"{slug}: {len(result.created)} periods created, {result.figure_rows} figure rows computed"
    )
