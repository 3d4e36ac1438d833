"""`giamsat jobs …`, `giamsat worker` and `giamsat scheduler`, as operators run them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from giamsat.commands.jobs import jobs
from giamsat.core.config import PROJECT_ROOT
from giamsat.jobs.outbox import record_job
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from giamsat.units.models import Unit
from giamsat.worker.process import run_worker
from tests.plugins import sample_jobs
from tests.plugins.jobs import REDIS_URL, job_name


def _enqueue_failing(runtime, world):
    """A job that fails with no retries left, straight into the failed registry."""
    return runtime.queues.get("notifications").enqueue_call(
        func=job_name(sample_jobs.mark_then_fail),
        kwargs={"tenant_id": world.alpha.tenant_id, "unit_id": world.alpha.area_x},
        job_id=runtime.queues.job_id("failing-1"),
    )


def test_failed_lists_and_retry_requeues(world, runtime, work_burst):
    runner = CliRunner()
    assert runner.invoke(jobs, ["failed"]).output == "No failed jobs.\n"
    job = _enqueue_failing(runtime, world)
    work_burst()

    result = runner.invoke(jobs, ["failed"])
    assert result.exit_code == 0, result.output
    row = result.output.splitlines()[0].split("\t")
    assert row[:4] == [job.id, "notifications", job_name(sample_jobs.mark_then_fail), "alpha"]
    assert row[4] == "RuntimeError: smtp refused password=[REDACTED]"
    assert "hunter2" not in result.output

    assert runner.invoke(jobs, ["retry", "no-such-job"]).exit_code == 1
    assert runner.invoke(jobs, ["retry"]).exit_code == 2
    result = runner.invoke(jobs, ["retry", job.id])
    assert result.exit_code == 0 and result.output == "1 job(s) requeued.\n"
    assert runtime.queues.get("notifications").job_ids == [job.id]
    assert runner.invoke(jobs, ["failed"]).output == "No failed jobs.\n"

    work_burst()
    assert runner.invoke(jobs, ["retry", "--all"]).output == "1 job(s) requeued.\n"
    status = runner.invoke(jobs, ["status"]).output
    assert "notifications: 1 waiting" in status and "outbox: 0 pending" in status


def test_the_forking_worker_runs_a_job_in_a_child_process(world, live_db, runtime):
    with live_db.session() as s:
        tenant = s.get(Tenant, world.alpha.tenant_id)
    with tenant_context(live_db, tenant) as scope:
        record_job(
            scope.session, job_name(sample_jobs.mark_area), unit_id=world.alpha.area_x, mark="#"
        )
        before = scope.session.get(Unit, world.alpha.area_x).name
        scope.session.commit()
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert run_worker(runtime, ("default",), burst=True)  # RQ's Worker: a fork per job
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    with live_db.session(world.alpha.schema) as s:
        assert s.get(Unit, world.alpha.area_x).name == before + "#"
    assert sample_jobs.CALLS == []  # the body ran in the child, not here


def test_the_scheduler_process_stops_cleanly_on_sigterm(settings, live_db):
    env = dict(
        os.environ,
        GIAMSAT_DATABASE_URL=settings.database_url,
        GIAMSAT_REDIS_URL=REDIS_URL,
        PYTHONPATH=str(PROJECT_ROOT),
    )
    code = "from giamsat.commands.scheduler import scheduler; scheduler(['--every', '0.2'])"
    with subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            started = proc.stderr.readline()
            assert '"scheduler started' in started, started
            time.sleep(0.5)  # a few passes
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            rest = proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
    assert '"message": "scheduler stopped"' in rest
    assert "Traceback" not in rest and "failed" not in rest
