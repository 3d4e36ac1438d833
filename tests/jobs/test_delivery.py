"""From a handler's commit to a worker, through a Redis outage, exactly once."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

from rq.job import Job
from sqlalchemy import select, update

from giamsat.core.logging import JsonFormatter, RedactingFilter
from giamsat.jobs.decorators import DUPLICATE, SKIPPED
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.outbox import record_job
from giamsat.jobs.relay import enqueue_entry, relay_pending, requeue_lost
from giamsat.jobs.runtime import install_runtime
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.units.models import Unit
from tests.plugins import sample_jobs
from tests.plugins.jobs import job_name

MARK_AREA = job_name(sample_jobs.mark_area)


def _tenant(db, tenant_id) -> Tenant:
    with db.session() as s:
        return s.get(Tenant, tenant_id)


def _entry(db, entry_id) -> OutboxEntry:
    with db.session() as s:
        return s.get(OutboxEntry, entry_id)


def _unit_name(db, schema, unit_id) -> str:
    with db.session(schema) as s:
        return s.get(Unit, unit_id).name


def _handler_renames_and_records(db, tw, new_name) -> int:
    """What a request handler does: change data, record the job, commit once."""
    with tenant_context(db, _tenant(db, tw.tenant_id)) as scope:
        scope.session.get(Unit, tw.area_x).name = new_name
        entry_id = record_job(scope.session, MARK_AREA, unit_id=tw.area_x)
        scope.session.commit()
    return entry_id


def test_redis_outage_delays_the_job_and_it_then_runs_exactly_once(
    world, live_db, runtime, dead_redis_runtime, work_burst, caplog
):
    install_runtime(dead_redis_runtime)
    with caplog.at_level(logging.WARNING, logger="giamsat.jobs.relay"):
        entry_id = _handler_renames_and_records(live_db, world.alpha, "Thôn Một mới")

    # The data committed; the after-commit relay failed quietly; the job waits in the outbox.
    assert _unit_name(live_db, world.alpha.schema, world.alpha.area_x) == "Thôn Một mới"
    entry = _entry(live_db, entry_id)
    assert (entry.enqueued_at, entry.done_at, entry.tenant_id) == (
        None,
        None,
        world.alpha.tenant_id,
    )
    assert "Redis unavailable" in caplog.text
    assert relay_pending(live_db, dead_redis_runtime.queues) == 0
    assert _entry(live_db, entry_id).enqueued_at is None

    # Redis is back: the relay hands it over once, however often it runs.
    install_runtime(runtime)
    queue = runtime.queues.get("default")
    assert relay_pending(live_db, runtime.queues) == 1
    assert relay_pending(live_db, runtime.queues) == 0
    # A relay that enqueued but crashed before marking the row: RQ refuses the second copy.
    with live_db.session() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.id == entry_id).values(enqueued_at=None))
        s.commit()
    assert relay_pending(live_db, runtime.queues) == 1
    assert queue.count == 1
    assert queue.job_ids == [runtime.queues.job_id(_entry(live_db, entry_id).rq_key)]

    assert work_burst()
    assert sample_jobs.CALLS == [("alpha", world.alpha.area_x)]
    assert _unit_name(live_db, world.alpha.schema, world.alpha.area_x) == "Thôn Một mới*"
    entry = _entry(live_db, entry_id)
    assert entry.done_at is not None and entry.attempts == 1 and entry.last_error is None


def test_a_duplicate_delivery_skips_the_body(world, live_db, runtime, work_burst):
    entry_id = _handler_renames_and_records(live_db, world.beta, "Một")
    assert _entry(live_db, entry_id).enqueued_at is not None  # the after-commit relay did it
    # The same row delivered a second time under another RQ id (e.g. replayed by hand).
    entry = _entry(live_db, entry_id)
    copy = runtime.queues.get("default").enqueue_call(
        func=MARK_AREA,
        kwargs={
            "tenant_id": world.beta.tenant_id,
            "_outbox_id": entry_id,
            "unit_id": world.beta.area_x,
        },
        job_id=runtime.queues.job_id("copy"),
    )
    assert enqueue_entry(runtime.queues, entry) is None  # and once more by the relay: refused

    work_burst()
    assert sample_jobs.CALLS == [("beta", world.beta.area_x)]
    assert _unit_name(live_db, world.beta.schema, world.beta.area_x) == "Một*"
    assert Job.fetch(copy.id, connection=runtime.queues.connection).return_value() == DUPLICATE


def test_a_rolled_back_handler_leaves_no_job(world, live_db, runtime):
    with tenant_context(live_db, _tenant(live_db, world.alpha.tenant_id)) as scope:
        record_job(scope.session, MARK_AREA, unit_id=world.alpha.area_x)
        scope.session.rollback()
    with live_db.session() as s:
        assert s.scalars(select(OutboxEntry)).all() == []
    assert runtime.queues.get("default").count == 0


def test_a_failing_job_rolls_back_counts_the_attempt_and_is_retried_with_backoff(
    world, live_db, runtime, work_burst
):
    with tenant_context(live_db, _tenant(live_db, world.alpha.tenant_id)) as scope:
        entry_id = record_job(
            scope.session, job_name(sample_jobs.mark_then_fail), unit_id=world.alpha.area_x
        )
        scope.session.commit()
    before = _unit_name(live_db, world.alpha.schema, world.alpha.area_x)

    work_burst()
    assert _unit_name(live_db, world.alpha.schema, world.alpha.area_x) == before
    entry = _entry(live_db, entry_id)
    assert entry.done_at is None and entry.attempts == 1
    assert entry.last_error == "RuntimeError: smtp refused password=[REDACTED]"
    job = Job.fetch(runtime.queues.job_id(entry.rq_key), connection=runtime.queues.connection)
    assert job.origin == runtime.queues.name("notifications")
    assert (job.retries_left, job.retry_intervals) == (2, [10, 60, 300])
    assert job.get_status() == "scheduled"


def test_a_suspended_tenant_skips_its_jobs(world, live_db, runtime, work_burst):
    entry_id = _handler_renames_and_records(live_db, world.beta, "Hai")
    with live_db.session() as s:
        s.execute(
            update(Tenant)
            .where(Tenant.id == world.beta.tenant_id)
            .values(status=TenantStatus.suspended)
        )
        s.commit()

    work_burst()
    assert sample_jobs.CALLS == []
    assert _unit_name(live_db, world.beta.schema, world.beta.area_x) == "Hai"
    entry = _entry(live_db, entry_id)
    assert entry.done_at is not None and entry.last_error == "skipped: tenant suspended"
    job = Job.fetch(runtime.queues.job_id(entry.rq_key), connection=runtime.queues.connection)
    assert job.return_value() == SKIPPED


def test_job_logs_carry_tenant_and_job_id(world, live_db, runtime, work_burst):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("giamsat.jobs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        entry_id = _handler_renames_and_records(live_db, world.alpha, "Ba")
        work_burst()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    done = [line for line in lines if line["message"].startswith("job done")]
    assert len(done) == 1
    assert done[0]["tenant"] == "alpha"
    assert done[0]["job_id"] == runtime.queues.job_id(_entry(live_db, entry_id).rq_key)
    assert done[0]["job"] == MARK_AREA


def test_rows_lost_by_redis_are_relayed_again(world, live_db, runtime, work_burst):
    entry_id = _handler_renames_and_records(live_db, world.alpha, "Bốn")
    runtime.queues.get("default").empty()  # Redis restarted without persistence: job gone
    assert not Job.exists(
        runtime.queues.job_id(_entry(live_db, entry_id).rq_key),
        connection=runtime.queues.connection,
    )
    assert requeue_lost(live_db, runtime.queues, older_than=dt.timedelta(hours=1)) == 0
    assert requeue_lost(live_db, runtime.queues, older_than=dt.timedelta(0)) == 1
    assert relay_pending(live_db, runtime.queues) == 1
    work_burst()
    assert _unit_name(live_db, world.alpha.schema, world.alpha.area_x) == "Bốn*"


def test_a_requests_jobs_go_to_redis_once_its_response_is_sent(app, world, live_db, runtime):
    """The person waiting for the page does not wait for Redis: rows committed during a
    request are enqueued when the server closes the response, not at the commit."""
    with app.test_request_context("/"):
        app.preprocess_request()
        entry_id = _handler_renames_and_records(live_db, world.alpha, "Thôn Một mới")
        assert _entry(live_db, entry_id).enqueued_at is None  # committed, kept for later
        response = app.process_response(app.make_response("ok"))
    assert _entry(live_db, entry_id).enqueued_at is None  # the request ended, not yet sent
    response.close()  # what the WSGI server does once the body is written
    assert _entry(live_db, entry_id).enqueued_at is not None
    assert runtime.queues.get("default").count == 1


def test_a_request_that_made_no_response_enqueues_its_jobs_as_it_ends(app, world, live_db, runtime):
    with app.test_request_context("/"):
        app.preprocess_request()
        entry_id = _handler_renames_and_records(live_db, world.alpha, "Thôn Một mới")
    assert _entry(live_db, entry_id).enqueued_at is not None


def test_outside_a_request_jobs_are_enqueued_right_after_the_commit(world, live_db, runtime):
    entry_id = _handler_renames_and_records(live_db, world.alpha, "Thôn Một mới")
    assert _entry(live_db, entry_id).enqueued_at is not None
