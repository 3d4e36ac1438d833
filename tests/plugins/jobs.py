"""The job runtime in tests: a live (committing) database, Redis DB 9 under a unique queue
prefix, an installed runtime, an in-process burst worker, and fixtures that keep the
process-wide runtime from leaking from one test into the next.

Tests on a live database need real commits (the relay and the worker see only committed rows),
so they do not use the rolled-back `db` fixture: `live_db` cleans the outbox and schedules and
restores the unit names it touches instead. The jobs, notifications and reports tests share
these fixtures.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import uuid

import pytest
from rq import SimpleWorker
from sqlalchemy import delete, update

from giamsat.core.db import Database
from giamsat.core.queue import Queues, redis_connection
from giamsat.jobs.models import OutboxEntry, Schedule
from giamsat.jobs.runtime import JobRuntime, current_runtime, install_runtime
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.units.models import Unit
from tests.plugins import sample_jobs

#: A Redis database of its own; the queue prefix keeps parallel runs apart within it.
REDIS_URL = os.environ.get("GIAMSAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
#: Nothing listens here: "Redis is down".
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def job_name(fn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


@pytest.fixture()
def keep_job_runtime():
    """Puts the process's job runtime back after the test: `create_app` installs its own
    process-wide, and no test may depend on which app was built before it."""
    previous = current_runtime(build=False)
    yield
    install_runtime(previous)


@pytest.fixture()
def no_job_runtime():
    """No job runtime during the test (restored afterwards): committed outbox rows stay
    pending instead of being relayed to Redis after commit."""
    previous = install_runtime(None)
    yield
    install_runtime(previous)


@pytest.fixture()
def live_db(engine, world):
    database = Database(engine)
    names = {}
    for tw in (world.alpha, world.beta):
        with database.session(tw.schema) as s:
            names[tw.schema] = {uid: s.get(Unit, uid).name for uid in (tw.area_x, tw.area_y)}
    sample_jobs.CALLS.clear()
    yield database
    with database.session() as shared:
        shared.execute(delete(OutboxEntry))
        shared.execute(delete(Schedule))
        shared.execute(
            update(Tenant)
            .values(status=TenantStatus.active)
            .where(Tenant.id.in_([world.alpha.tenant_id, world.beta.tenant_id]))
        )
        shared.commit()
    for schema, units in names.items():
        with database.session(schema) as s:
            for uid, name in units.items():
                s.execute(update(Unit).where(Unit.id == uid).values(name=name))
            s.commit()


@pytest.fixture()
def queue_prefix():
    return f"test-{uuid.uuid4().hex[:10]}-"


@pytest.fixture()
def redis_conn(queue_prefix):
    conn = redis_connection(REDIS_URL)
    yield conn
    for key in conn.scan_iter(match=f"*{queue_prefix}*", count=500):
        conn.delete(key)
    for key in conn.scan_iter(match="rq:worker:*", count=500):  # dead burst workers
        if queue_prefix.encode() in (conn.hget(key, "queues") or b""):
            conn.delete(key)
    for member in conn.smembers("rq:queues"):
        if queue_prefix.encode() in member:
            conn.srem("rq:queues", member)
    conn.close()


@pytest.fixture()
def runtime(settings, live_db, redis_conn, queue_prefix):
    rt = JobRuntime(
        settings=dataclasses.replace(settings, redis_url=REDIS_URL),
        database=live_db,
        queues=Queues(redis_conn, queue_prefix),
    )
    previous = install_runtime(rt)
    yield rt
    install_runtime(previous)


@pytest.fixture()
def work_burst(runtime):
    """Run every queued job in this process, then return (RQ's SimpleWorker, burst mode)."""

    def work() -> bool:
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            worker = SimpleWorker(runtime.queues.all(), connection=runtime.queues.connection)
            return worker.work(burst=True)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return work
