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


#: While this key (under the runtime's queue prefix) exists in Redis, `mark_slowly` waits.
HOLD_KEY = "hold-slow-jobs"


@tenant_job(queue="default")
def mark_slowly(session, tenant, *, unit_id: int):
    """`mark_area`, but it holds its transaction open while the test holds HOLD_KEY (so the
    test can kill the worker mid-job, its outbox row claimed and locked)."""
    import time

    from giamsat.jobs.runtime import current_runtime

    queues = current_runtime().queues
    unit = session.get(Unit, unit_id)
    unit.name = unit.name + "*"
    session.flush()
    give_up = time.monotonic() + 120
    while queues.connection.exists(queues.job_id(HOLD_KEY)) and time.monotonic() < give_up:
        time.sleep(0.2)
    return unit.name
