"""Scheduling recomputes of the figures, called by the other domains' reactions (reports.reactions)
after a record changed. Flush only; never commit."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.jobs.models import OutboxEntry
from giamsat.reports.calendar import periods_containing
from giamsat.tenancy.context import current_tenant_or_none

log = logging.getLogger(__name__)

RECOMPUTE_JOB = "giamsat.reports.jobs.recompute_unit"


def schedule_recompute(
    session: Session,
    unit_id: int,
    on_date: dt.date,
    *more_dates: dt.date | None,
    tenant_id: int | None = None,
) -> list[int]:
    """After a record of `unit_id` dated `on_date` (and `more_dates`) changed: one outbox job
    per (unit, period) whose window holds one of the dates, in the caller's transaction.

    De-duplicated: while a job for the same (tenant, period, unit) is not done, no second one is
    recorded — a burst of changes is one recompute. Never lost: the pending row is share-locked
    until this transaction commits, so a job that starts meanwhile waits for our data before it
    claims the row; a job already claimed has its row done, and ours becomes a new one.
    Returns the outbox ids recorded (empty when every job was already pending).

    Outside a tenant context (tests driving operations directly) there is no tenant to run the
    job in; nothing is recorded and the nightly recompute catches up."""
    from giamsat.jobs.outbox import record_job

    if tenant_id is None:
        scope = current_tenant_or_none()
        if scope is None or scope.session is not session:
            log.debug("schedule_recompute outside a tenant context: left to the nightly run")
            return []
        tenant_id = scope.tenant_id
    days = {d for d in (on_date, *more_dates) if d is not None}
    period_ids = sorted({p.id for day in days for p in periods_containing(session, day)})
    recorded = []
    for period_id in period_ids:
        key = recompute_dedupe_key(tenant_id, period_id, unit_id)
        pending = session.execute(
            select(OutboxEntry.id)
            .where(OutboxEntry.dedupe_key == key, OutboxEntry.done_at.is_(None))
            .with_for_update(read=True)
        ).first()
        if pending is not None:
            continue
        entry_id = record_job(
            session,
            RECOMPUTE_JOB,
            tenant_id=tenant_id,
            dedupe_key=key,
            period_id=period_id,
            unit_id=unit_id,
        )
        if entry_id is not None:
            recorded.append(entry_id)
    return recorded


def schedule_for_case(session: Session, case, *, tenant_id: int | None = None) -> list[int]:
    """After any change to a case: recompute where it counts (its residential area, else its
    unit) for every date an indicator reads — received, forwarded, answered, and today (the
    day of an archive or close event)."""
    return schedule_recompute(
        session,
        case.area_id or case.unit_id,
        case.received_on,
        case.forwarded_on,
        case.responded_on,
        clock.today(),
        tenant_id=tenant_id,
    )


def recompute_dedupe_key(tenant_id: int, period_id: int, unit_id: int) -> str:
    return f"reports.recompute:{tenant_id}:{period_id}:{unit_id}"
