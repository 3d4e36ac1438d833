"""Reads of the tenant registry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.names import InvalidName, validate_slug


def get_tenant(session: Session, slug: str) -> Tenant | None:
    try:
        validate_slug(slug)
    except InvalidName:
        return None
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def get_active_tenant(session: Session, slug: str) -> Tenant | None:
    """The tenant behind a URL, or None when unknown or suspended (callers answer 404)."""
    tenant = get_tenant(session, slug)
    if tenant is None or tenant.status != TenantStatus.active:
        return None
    return tenant


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.slug)))
