"""Create or update a tenant's registry row and bring its schema to the newest revision."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from giamsat.tenancy.migrations import upgrade_tenant
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.names import bucket_for, schema_for, validate_slug


def ensure_tenant(
    engine: Engine,
    migrations_dir: Path,
    *,
    slug: str,
    name: str,
    province_code: int,
    status: TenantStatus = TenantStatus.active,
    bucket_prefix: str = "giamsat",
    role_prefix: str = "",
) -> tuple[Tenant, bool]:
    """Upsert the registry row, then migrate the schema. Returns (tenant, changed).

    `status` applies to a new tenant; for an existing one only "suspended" is applied.

    The shared schema must already be migrated (`giamsat db upgrade`)."""
    validate_slug(slug)
    changed = False
    with Session(engine, expire_on_commit=False) as session, session.begin():
        tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            tenant = Tenant(
                slug=slug,
                name=name,
                province_code=province_code,
                schema_name=schema_for(slug),
                bucket_name=bucket_for(slug, bucket_prefix),
                status=status,
            )
            session.add(tenant)
            changed = True
        else:
            for attr, value in (("name", name), ("province_code", province_code)):
                if getattr(tenant, attr) != value:
                    setattr(tenant, attr, value)
                    changed = True
            # A manifest may suspend a tenant, never resume one: a suspension decided on the
            # operator page holds until an operator lifts it there.
            if status == TenantStatus.suspended and tenant.status != status:
                tenant.status = status
                changed = True
    upgrade_tenant(engine, migrations_dir, tenant.schema_name, role_prefix=role_prefix)
    with Session(engine) as session:
        tenant.db_role = session.scalar(select(Tenant.db_role).where(Tenant.id == tenant.id))
    return tenant, changed
