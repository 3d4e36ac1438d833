"""Schedules: timing, syncing from code, and claims that hold when two schedulers race."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, update

from giamsat.jobs.models import OutboxEntry, Schedule
from giamsat.jobs.schedules import (
    PeriodicJob,
    next_run,
    run_due_schedules,
    sync_schedules,
)
from giamsat.jobs.spec import UnknownJob
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.worker.scheduler import Scheduler
from tests.plugins import sample_jobs
from tests.plugins.jobs import job_name

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
MARK_AREA = job_name(sample_jobs.mark_area)
COUNT_TENANTS = job_name(sample_jobs.count_tenants)


def test_intervals_keep_their_phase_and_skip_missed_slots():
    due = NOW - dt.timedelta(minutes=25)  # three 10-minute slots missed
    assert next_run(interval_seconds=600, daily_at=None, after=NOW, due=due) == (
        NOW + dt.timedelta(minutes=5)
    )
    assert next_run(interval_seconds=600, daily_at=None, after=NOW) == NOW + dt.timedelta(
        minutes=10
    )


def test_daily_times_are_vietnam_time():
    # 10:00 UTC is 17:00 in Hà Nội: 01:30 tomorrow local is 18:30 UTC today.
    assert next_run(interval_seconds=None, daily_at=dt.time(1, 30), after=NOW) == (
        dt.datetime(2026, 3, 2, 18, 30, tzinfo=UTC)
    )
    assert next_run(interval_seconds=None, daily_at=dt.time(17, 0), after=NOW) == (
        dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    )


def test_periodic_jobs_need_exactly_one_timing():
    with pytest.raises(ValueError):
        PeriodicJob("x", MARK_AREA)
    with pytest.raises(ValueError):
        PeriodicJob("x", MARK_AREA, every=dt.timedelta(hours=1), daily_at=dt.time(1))


def _sync(db, periodic, now=NOW):
    with db.session() as s:
        sync_schedules(s, periodic, now)
        s.commit()


def _rows(db) -> dict[str, Schedule]:
    with db.session() as s:
        return {row.id: row for row in s.scalars(select(Schedule))}


def test_sync_upserts_keeps_next_runs_and_disables_the_undeclared(live_db):
    hourly = PeriodicJob("test.hourly", MARK_AREA, every=dt.timedelta(hours=1), args={"unit_id": 4})
    nightly = PeriodicJob(
        "test.nightly", COUNT_TENANTS, daily_at=dt.time(1, 30), queue="aggregation"
    )
    _sync(live_db, [hourly, nightly])
    rows = _rows(live_db)
    assert rows["test.hourly"].per_tenant and not rows["test.nightly"].per_tenant
    assert rows["test.hourly"].next_run_at == NOW + dt.timedelta(hours=1)
    assert rows["test.nightly"].queue == "aggregation"

    later = NOW + dt.timedelta(minutes=20)
    _sync(live_db, [hourly], later)  # unchanged timing keeps its next run; nightly is gone
    rows = _rows(live_db)
    assert rows["test.hourly"].next_run_at == NOW + dt.timedelta(hours=1)
    assert not rows["test.nightly"].is_enabled

    _sync(live_db, [PeriodicJob("test.hourly", MARK_AREA, every=dt.timedelta(minutes=5))], later)
    assert _rows(live_db)["test.hourly"].next_run_at == later + dt.timedelta(minutes=5)

    with pytest.raises(UnknownJob):
        _sync(
            live_db,
            [
                PeriodicJob(
                    "test.bad", "tests.plugins.sample_jobs.not_a_job", every=dt.timedelta(hours=1)
                )
            ],
        )
    assert "test.bad" not in _rows(live_db)


def _make_due(db, schedule_id, due):
    with db.session() as s:
        s.execute(update(Schedule).where(Schedule.id == schedule_id).values(next_run_at=due))
        s.commit()


def _outbox(db) -> list[OutboxEntry]:
    with db.session() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.tenant_id)))


def _active_tenant_ids(db) -> list[int]:
    with db.session() as s:
        return list(
            s.scalars(
                select(Tenant.id).where(Tenant.status == TenantStatus.active).order_by(Tenant.id)
            )
        )


def test_a_per_tenant_schedule_fans_out_once_per_active_tenant(world, live_db):
    _sync(
        live_db,
        [PeriodicJob("test.hourly", MARK_AREA, every=dt.timedelta(hours=1), args={"unit_id": 4})],
    )
    due = NOW - dt.timedelta(seconds=30)
    _make_due(live_db, "test.hourly", due)
    with live_db.session() as s:
        s.execute(
            update(Tenant)
            .where(Tenant.id == world.beta.tenant_id)
            .values(status=TenantStatus.suspended)
        )
        s.commit()

    assert run_due_schedules(live_db, NOW) == {"test.hourly": len(_active_tenant_ids(live_db))}
    rows = _outbox(live_db)
    assert [r.tenant_id for r in rows] == _active_tenant_ids(live_db)
    assert world.beta.tenant_id not in [r.tenant_id for r in rows]
    assert rows[0].dedupe_key == (f"schedule:test.hourly:{world.alpha.tenant_id}:20260302T095930Z")
    assert rows[0].args == {"unit_id": 4}
    schedule = _rows(live_db)["test.hourly"]
    assert (schedule.last_run_at, schedule.next_run_at) == (NOW, due + dt.timedelta(hours=1))

    assert run_due_schedules(live_db, NOW) == {}  # a second tick finds nothing due
    assert len(_outbox(live_db)) == len(rows)


def test_two_schedulers_at_once_start_the_work_once(live_db):
    _sync(
        live_db,
        [
            PeriodicJob("test.platform", COUNT_TENANTS, every=dt.timedelta(minutes=1)),
            PeriodicJob("test.hourly", MARK_AREA, every=dt.timedelta(hours=1), args={"unit_id": 4}),
        ],
    )
    _make_due(live_db, "test.platform", NOW - dt.timedelta(seconds=1))
    _make_due(live_db, "test.hourly", NOW - dt.timedelta(seconds=1))
    start = threading.Barrier(2)
    results = []

    def scheduler():
        start.wait()
        results.append(run_due_schedules(live_db, NOW))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    merged = [key for r in results for key in r]
    assert sorted(merged) == ["test.hourly", "test.platform"]  # each claimed by one of them
    rows = _outbox(live_db)
    assert sum(1 for r in rows if r.job_name == COUNT_TENANTS) == 1
    assert sum(1 for r in rows if r.job_name == MARK_AREA) == len(_active_tenant_ids(live_db))


def test_a_scheduler_tick_starts_relays_and_the_worker_runs_it(live_db, runtime, work_burst):
    _sync(live_db, [PeriodicJob("test.platform", COUNT_TENANTS, every=dt.timedelta(minutes=1))])
    _make_due(live_db, "test.platform", NOW)
    loop = Scheduler(runtime)
    assert loop.tick(NOW + dt.timedelta(seconds=1))["schedules"] == 1
    assert loop.tick(NOW + dt.timedelta(seconds=2)) == {
        "schedules": 0,
        "abandoned": 0,
        "relayed": 0,
        "lost": 0,
    }
    work_burst()
    assert sample_jobs.CALLS == [("platform", 0)]
    with live_db.session() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.done_at.is_not(None))
            )
            == 1
        )
