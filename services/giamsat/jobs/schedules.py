"""Periodic work as rows with stable ids: declared in code, synced to `shared.schedules`,
claimed by whichever scheduler gets there first, fanned out to the outbox."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.db import Database, utcnow
from giamsat.core.queue import validate_queue
from giamsat.jobs.models import Schedule
from giamsat.jobs.outbox import record_job
from giamsat.jobs.spec import plain_args, spec_for
from giamsat.tenancy.models import Tenant, TenantStatus

log = logging.getLogger(__name__)

#: Daily times are Vietnam time (UTC+7, no daylight saving).
#: Advisory lock key serializing `sync_schedules` across processes (any constant bigint).
SYNC_LOCK_KEY = 0x67696D_5343


@dataclass(frozen=True)
class PeriodicJob:
    """A schedule as a domain declares it: `PeriodicJob("reports.nightly",
    "giamsat.reports.jobs.reaggregate", daily_at=dt.time(1, 30))`.

    Whether it runs once per active tenant follows from the job: `@tenant_job` fans out,
    `@platform_job` runs once.
    """

    id: str
    job: str
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None
    queue: str | None = None
    args: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"schedule {self.id}: give exactly one of every= and daily_at=")
        if self.every is not None and self.every < dt.timedelta(seconds=1):
            raise ValueError(f"schedule {self.id}: every= must be at least one second")
        if not self.id or len(self.id) > 100:
            raise ValueError(f"schedule id must be 1-100 characters: {self.id!r}")


def next_run(
    *,
    interval_seconds: int | None,
    daily_at: dt.time | None,
    after: dt.datetime,
    due: dt.datetime | None = None,
) -> dt.datetime:
    """The first run time strictly after `after`.

    Intervals keep their phase from the last due time; a scheduler that was down for a while
    runs the work once, not once per missed slot.
    """
    if interval_seconds is not None:
        step = dt.timedelta(seconds=interval_seconds)
        if due is None:
            return after + step
        missed = (after - due) // step if after >= due else -1
        return due + (missed + 1) * step
    assert daily_at is not None, "a schedule runs every N seconds or daily at a time"
    local = after.astimezone(clock.zone())
    candidate = dt.datetime.combine(local.date(), daily_at, tzinfo=clock.zone())
    if candidate <= local:
        candidate = dt.datetime.combine(
            local.date() + dt.timedelta(days=1), daily_at, tzinfo=clock.zone()
        )
    return candidate.astimezone(dt.UTC)


def sync_schedules(
    session: Session, periodic: list[PeriodicJob], now: dt.datetime | None = None
) -> None:
    """Upsert the declared schedules; disable rows no longer declared. Flush only.

    A schedule keeps its next run unless its timing changed (or it comes back after being
    disabled). Raises UnknownJob for a schedule naming something that is not a job.
    """
    now = now or utcnow()
    # Two schedulers starting together would both insert a new schedule: take turns.
    session.execute(select(func.pg_advisory_xact_lock(SYNC_LOCK_KEY)))
    ids = [p.id for p in periodic]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate schedule ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    rows = {row.id: row for row in session.scalars(select(Schedule).with_for_update())}
    for p in periodic:
        spec = spec_for(p.job)
        timing: dict[str, Any] = {
            "interval_seconds": int(p.every.total_seconds()) if p.every else None,
            "daily_at": p.daily_at,
        }
        values = {
            "job_name": p.job,
            "queue": validate_queue(p.queue or spec.queue),
            "per_tenant": spec.per_tenant,
            "args": plain_args(p.args),
            **timing,
        }
        row = rows.get(p.id)
        if row is None:
            session.add(
                Schedule(
                    id=p.id, is_enabled=True, next_run_at=next_run(after=now, **timing), **values
                )
            )
            continue
        retimed = (row.interval_seconds, row.daily_at) != (
            timing["interval_seconds"],
            timing["daily_at"],
        )
        if retimed or not row.is_enabled:
            row.next_run_at = next_run(after=now, **timing)
        row.is_enabled = True
        for key, value in values.items():
            setattr(row, key, value)
    for row in rows.values():
        if row.id not in ids and row.is_enabled:
            row.is_enabled = False
    session.flush()


def run_due_schedules(db: Database, now: dt.datetime | None = None) -> dict[str, int]:
    """Claim every due schedule and record its jobs; returns {schedule id: outbox rows}.

    The claim is a conditional UPDATE (due time unchanged, still <= now): of two schedulers
    racing, the second waits for the first's row lock, re-checks, and finds nothing due. Claim
    and outbox rows commit together, so a crash in between loses and doubles nothing.
    """
    now = now or utcnow()
    with db.session() as session:
        due = session.execute(
            select(Schedule.id, Schedule.next_run_at)
            .where(Schedule.is_enabled.is_(True), Schedule.next_run_at <= now)
            .order_by(Schedule.next_run_at)
        ).all()
    started: dict[str, int] = {}
    for schedule_id, due_at in due:
        with db.session() as session:
            try:
                count = _claim_and_fan_out(session, schedule_id, due_at, now)
                session.commit()
            except Exception:
                session.rollback()
                log.exception("schedule %s could not start; it stays due", schedule_id)
                continue
        if count is not None:
            started[schedule_id] = count
            log.info(
                "schedule %s: %d job(s) recorded for %s", schedule_id, count, due_at.isoformat()
            )
    return started


def _claim_and_fan_out(
    session: Session, schedule_id: str, due_at: dt.datetime, now: dt.datetime
) -> int | None:
    row = session.get(Schedule, schedule_id)
    if row is None:
        return None
    following = next_run(
        interval_seconds=row.interval_seconds, daily_at=row.daily_at, after=now, due=due_at
    )
    claimed = session.execute(
        update(Schedule)
        .where(
            Schedule.id == schedule_id,
            Schedule.is_enabled.is_(True),
            Schedule.next_run_at == due_at,
            Schedule.next_run_at <= now,
        )
        .values(last_run_at=now, next_run_at=following)
        .returning(Schedule.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if claimed is None:
        return None
    stamp = due_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    if not row.per_tenant:
        record_job(
            session,
            row.job_name,
            queue=row.queue,
            dedupe_key=f"schedule:{schedule_id}:{stamp}",
            **row.args,
        )
        return 1
    tenant_ids = session.scalars(
        select(Tenant.id).where(Tenant.status == TenantStatus.active).order_by(Tenant.id)
    ).all()
    for tenant_id in tenant_ids:
        record_job(
            session,
            row.job_name,
            queue=row.queue,
            tenant_id=tenant_id,
            dedupe_key=f"schedule:{schedule_id}:{tenant_id}:{stamp}",
            **row.args,
        )
    return len(tenant_ids)
