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


#: (tenant slug, database user, error of a read in the other tenant's schema) per run.
WALL: list[tuple[str, str, str]] = []


@tenant_job(queue="default")
def look_across(session, tenant, *, other_schema: str):
    """Records the role the job runs as, and what a hand-written read of another tenant gives."""
    from sqlalchemy import text
    from sqlalchemy.exc import ProgrammingError

    user = session.scalar(text("SELECT current_user"))
    error = ""
    try:
        with session.begin_nested():  # the job's own transaction goes on
            session.execute(text(f"SELECT count(*) FROM {other_schema}.users"))
    except ProgrammingError as exc:
        error = str(exc.orig)
    WALL.append((tenant.slug, user, error))
