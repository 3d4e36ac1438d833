"""One nestable tenant context for requests, CLI commands and jobs alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from giamsat.core.db import Database
from giamsat.tenancy.names import validate_schema_name


@dataclass
class TenantScope:
    """What code running "inside" a tenant has: its identity and one session on its schema."""

    tenant_id: int
    slug: str
    name: str
    schema_name: str
    bucket_name: str
    province_code: int
    session: Session = field(repr=False)


_current: ContextVar[TenantScope | None] = ContextVar("giamsat_tenant", default=None)


class NoTenant(RuntimeError):
    pass


def current_tenant() -> TenantScope:
    scope = _current.get()
    if scope is None:
        raise NoTenant("no tenant context is active")
    return scope


def current_tenant_or_none() -> TenantScope | None:
    return _current.get()


@contextmanager
def tenant_context(
    db: Database, tenant, connection: Connection | None = None
) -> Iterator[TenantScope]:
    """Enter `tenant` (a registry row): open a session on its schema, restore the outer one after.

    The session is closed on exit; committing is the caller's job (one commit per handler).
    `connection` (of `Database.checkout`, a request's) carries the session; its owner closes it.
    """
    schema = validate_schema_name(tenant.schema_name)
    session = db.session(schema, connection)
    scope = TenantScope(
        tenant_id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        schema_name=schema,
        bucket_name=tenant.bucket_name,
        province_code=tenant.province_code,
        session=session,
    )
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)
        session.close()
