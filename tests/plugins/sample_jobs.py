"""Jobs the job-runtime tests enqueue; each leaves a visible, countable side effect."""

from __future__ import annotations

from giamsat.jobs.decorators import platform_job, tenant_job
from giamsat.units.models import Unit

#: (tenant slug, unit id) per body run, in this process (SimpleWorker runs jobs in-process).
CALLS: list[tuple[str, int]] = []


@tenant_job(queue="default")
def mark_area(session, tenant, *, unit_id: int, mark: str = "*"):
    """Appends `mark` to the unit's name: run twice, the name shows it twice."""
    CALLS.append((tenant.slug, unit_id))
    unit = session.get(Unit, unit_id)
    unit.name = unit.name + mark
    return unit.name


@tenant_job(queue="notifications")
def mark_then_fail(session, tenant, *, unit_id: int):
    session.get(Unit, unit_id).name += " (must not stay)"
    session.flush()
    raise RuntimeError("smtp refused password=hunter2 for the reminder")


@platform_job(queue="default")
def count_tenants(session):
    from sqlalchemy import func, select

    from giamsat.tenancy.models import Tenant

    CALLS.append(("platform", 0))
    return session.scalar(select(func.count()).select_from(Tenant))


def not_a_job(session, tenant, **ids):
    return None
