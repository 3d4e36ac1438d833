"""A worker killed mid-job (SIGKILL, the pod gone): its job runs again within a minute, once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import psutil
from rq.job import Job
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from giamsat.core.config import PROJECT_ROOT
from giamsat.jobs import abandoned
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.outbox import record_job
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from giamsat.units.models import Unit
from giamsat.worker.scheduler import Scheduler
from tests.plugins import sample_jobs
from tests.plugins.jobs import REDIS_URL, job_name

#: What the issue allows between the kill and the job's next run.
RERUN_WITHIN = 60.0


def _worker(settings, queue_prefix) -> subprocess.Popen:
    env = dict(
        os.environ,
        GIAMSAT_DATABASE_URL=settings.database_url,
        GIAMSAT_REDIS_URL=REDIS_URL,
        GIAMSAT_QUEUE_PREFIX=queue_prefix,
        GIAMSAT_SECRET_KEY="test-secret",
        GIAMSAT_MASTER_KEYS=settings.master_keys,
        GIAMSAT_S3_URL=settings.s3_url,
        PYTHONPATH=str(PROJECT_ROOT),
    )
    return subprocess.Popen(
        [sys.executable, "-c", "from giamsat.cli import main; main()", "worker", "default"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_all(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and every process it forked (RQ puts the job's process in a session
    of its own, so a process-group kill would miss it): what a lost pod or node does."""
    family = [psutil.Process(worker.pid), *psutil.Process(worker.pid).children(recursive=True)]
    for proc in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    psutil.wait_procs(family, timeout=10)


def _wait(condition, timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


def _entry(db, entry_id) -> OutboxEntry:
    with db.session() as s:
        return s.get(OutboxEntry, entry_id)


def test_a_killed_workers_job_runs_again_within_a_minute(
    world, settings, live_db, runtime, queue_prefix
):
    hold = runtime.queues.job_id(sample_jobs.HOLD_KEY)
    runtime.queues.connection.set(hold, "1", ex=300)
    with live_db.session() as s:
        tenant = s.get(Tenant, world.alpha.tenant_id)
    with tenant_context(live_db, tenant) as scope:
        before = scope.session.get(Unit, world.alpha.area_x).name
        entry_id = record_job(
            scope.session, job_name(sample_jobs.mark_slowly), unit_id=world.alpha.area_x
        )
        scope.session.commit()
    first_key = _entry(live_db, entry_id).job_key
    started = StartedJobRegistry(queue=runtime.queues.get("default"))

    doomed = _worker(settings, queue_prefix)
    try:
        _wait(lambda: started.get_job_ids(cleanup=False), 60, "the first worker took the job")
        time.sleep(6)  # mid-job, past its first heartbeat
    finally:
        _kill_all(doomed)
    killed_at = time.monotonic()
    runtime.queues.connection.delete(hold)  # the next run goes straight through

    loop = Scheduler(runtime, every=1.0)
    ticking = threading.Thread(target=loop.run, daemon=True)
    ticking.start()
    survivor = _worker(settings, queue_prefix)
    try:
        _wait(lambda: _entry(live_db, entry_id).done_at is not None, 90, "the job ran again")
        rerun_after = time.monotonic() - killed_at
    finally:
        loop.stop()
        ticking.join(timeout=10)
        _kill_all(survivor)

    print(f"\nkilled worker's job done again {rerun_after:.1f} s after the kill")
    assert rerun_after < RERUN_WITHIN
    entry = _entry(live_db, entry_id)
    # Taken back under a new job key; the killed run's writes were rolled back: one mark.
    assert entry.job_key != first_key and entry.attempts == 1
    with live_db.session(world.alpha.schema) as s:
        assert s.get(Unit, world.alpha.area_x).name == before + "*"
    assert started.get_job_ids(cleanup=False) == []


def test_a_silent_job_whose_row_is_locked_is_left_to_its_transaction(
    world, live_db, runtime, monkeypatch
):
    """Silence alone is not death: while a transaction holds the outbox row (the job's own,
    still running), the job is left alone; once the lock is gone it is taken back."""
    with live_db.session() as s:
        tenant = s.get(Tenant, world.alpha.tenant_id)
    with tenant_context(live_db, tenant) as scope:
        entry_id = record_job(
            scope.session, job_name(sample_jobs.mark_area), unit_id=world.alpha.area_x
        )
        scope.session.commit()
    entry = _entry(live_db, entry_id)
    job = Job.fetch(runtime.queues.job_id(entry.rq_key), connection=runtime.queues.connection)
    monkeypatch.setattr(abandoned, "abandoned_jobs", lambda queues, silent_after: [job])

    with live_db.session() as holder:
        holder.execute(
            select(OutboxEntry).where(OutboxEntry.id == entry_id).with_for_update()
        ).one()
        assert abandoned.requeue_abandoned(live_db, runtime.queues) == 0
        assert Job.exists(job.id, connection=runtime.queues.connection)
        holder.rollback()

    assert abandoned.requeue_abandoned(live_db, runtime.queues) == 1
    assert not Job.exists(job.id, connection=runtime.queues.connection)
    again = _entry(live_db, entry_id)
    assert again.enqueued_at is None and again.job_key != entry.job_key
