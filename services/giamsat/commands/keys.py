"""`giamsat keys …`: rotate the keys that protect reporter identities."""

from __future__ import annotations

import os

import click

from giamsat.core.acting import acting
from giamsat.core.config import Settings
from giamsat.identity import Actor

#: Who the audit log names for these commands (the operations read it from `core.acting`).
_CLI = Actor(None, "cli")


def _keyring(settings: Settings):
    from giamsat.core import crypto

    try:
        return crypto.keyring_from_settings(settings)
    except crypto.MasterKeyError as error:
        raise click.ClickException(str(error)) from None


def _tenants(shared, slug: str | None, all_: bool):
    from giamsat.tenancy.registry import get_tenant, list_tenants

    if all_ == bool(slug):
        raise click.UsageError("give either --tenant SLUG or --all")
    if all_:
        return list_tenants(shared)
    tenant = get_tenant(shared, slug)
    if tenant is None:
        raise click.ClickException(f"unknown tenant {slug!r} (see `giamsat tenants list`)")
    return [tenant]


def _run(slug: str | None, all_: bool, work) -> None:
    """Open each chosen tenant in turn and run `work(session, keyring, tenant)` in it."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from giamsat.cases.protection import using_master_keys
    from giamsat.core.crypto import CryptoError
    from giamsat.core.db import Database
    from giamsat.core.errors import DomainError
    from giamsat.domains import load_models
    from giamsat.tenancy.context import tenant_context

    load_models()
    settings = Settings.from_env()
    keyring = _keyring(settings)
    engine = create_engine(settings.database_url, poolclass=NullPool)
    try:
        with Database(engine).session() as shared:
            chosen = _tenants(shared, slug, all_)
        for tenant in chosen:
            with tenant_context(Database(engine), tenant) as scope, using_master_keys(keyring):
                try:
                    work(scope.session, keyring, tenant)
                except (DomainError, CryptoError) as error:
                    scope.session.rollback()
                    raise click.ClickException(
                        f"{tenant.slug}: {getattr(error, 'message', error)}"
                    ) from None
                scope.session.commit()
    finally:
        engine.dispose()


@click.group(help="Keys protecting reporter identities (GIAMSAT_MASTER_KEYS, tenant data keys).")
def keys() -> None:
    pass


@keys.command(
    "rotate-data-key",
    help="Give a tenant a new data key and re-encrypt every "
    "reporter identity to it; the old key is retired.",
)
@click.option("--tenant", "slug", required=True, help="Tenant slug, e.g. ninh-binh.")
@click.option(
    "--batch-size",
    default=200,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Identities re-encrypted (and committed) per batch.",
)
def rotate_data_key(slug: str, batch_size: int) -> None:
    from giamsat.cases.key_rotation import rotate_data_key as rotate

    def work(session, keyring, tenant):
        with acting(_CLI):
            report = rotate(
                session,
                batch_size=batch_size,
                after_batch=lambda done: (session.commit(), click.echo(f"  {done} re-encrypted")),
            )
        retired = ", ".join(map(str, report.retired_key_ids)) or "none"
        click.echo(
            f"{tenant.slug}: data key {report.data_key_id} active (retired: {retired}); "
            f"{report.reencrypted} identities re-encrypted"
        )

    _run(slug, False, work)


@keys.command(
    "rewrap",
    help="Re-wrap data keys with the current (first) master key, after "
    "putting a new key first in GIAMSAT_MASTER_KEYS. Afterwards the old "
    "master key can be removed.",
)
@click.option("--tenant", "slug", help="Tenant slug, e.g. ninh-binh.")
@click.option("--all", "all_", is_flag=True, help="Every tenant in the registry.")
def rewrap(slug: str | None, all_: bool) -> None:
    from giamsat.cases.key_rotation import rewrap_data_keys

    def work(session, keyring, tenant):
        with acting(_CLI):
            ids = rewrap_data_keys(session, keyring=keyring)
        click.echo(
            f"{tenant.slug}: {len(ids)} data key(s) re-wrapped with master key "
            f"{keyring.current.key_id!r}"
        )

    _run(slug, all_, work)


@keys.command(
    "new-master-key",
    help='Print a new master key entry "<id>:<base64>" to put '
    "first in GIAMSAT_MASTER_KEYS. Nothing is stored.",
)
@click.option("--id", "key_id", required=True, help="Key id, e.g. 2026a.")
def new_master_key(key_id: str) -> None:
    from giamsat.core import crypto

    entry = f"{key_id}:{crypto.encode_key(os.urandom(crypto.KEY_BYTES))}"
    try:
        crypto.parse_master_keys(entry)  # refuses a bad id
    except crypto.MasterKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(entry)
