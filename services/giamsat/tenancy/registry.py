"""Reads of the tenant registry."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.names import InvalidName, validate_slug


def get_tenant(session: Session, slug: str) -> Tenant | None:
    try:
        validate_slug(slug)
    except InvalidName:
        return None
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


#: What a request needs of its tenant's registry row (`tenancy.context.tenant_context`),
#: built once: a statement per request would pay its construction and cache key each time.
_tenants = Tenant.__table__
_FOR_REQUEST = select(
    _tenants.c.id,
    _tenants.c.slug,
    _tenants.c.name,
    _tenants.c.status,
    _tenants.c.schema_name,
    _tenants.c.bucket_name,
    _tenants.c.province_code,
).where(_tenants.c.slug == bindparam("slug"))


def tenant_for_request(conn: Connection, slug: str) -> Row | None:
    """The registry row behind a URL's slug as it stands now (read on every request, never
    cached: a suspension or a change is seen by the next request), or None when unknown.
    Only the columns a request uses, as a plain row: no ORM object to build per request."""
    try:
        validate_slug(slug)
    except InvalidName:
        return None
    return conn.execute(_FOR_REQUEST, {"slug": slug}).one_or_none()


def get_active_tenant(session: Session, slug: str) -> Tenant | None:
    """The tenant behind a URL, or None when unknown or suspended (callers answer 404)."""
    tenant = get_tenant(session, slug)
    if tenant is None or tenant.status != TenantStatus.active:
        return None
    return tenant


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.slug)))
