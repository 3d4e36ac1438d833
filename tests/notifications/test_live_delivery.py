"""Delivery as it runs in production — committed data, the relay, RQ on real Redis, workers —
through a Redis outage, a failing mail server and a worker killed in the middle of sending."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from rq import SimpleWorker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import delete, select, update

from giamsat.accounts.models import User
from giamsat.commands.jobs import jobs as jobs_command
from giamsat.core import clock
from giamsat.core.config import PROJECT_ROOT
from giamsat.core.queue import Queues
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.relay import relay_pending
from giamsat.jobs.runtime import JobRuntime, install_runtime
from giamsat.notifications import triggers
from giamsat.notifications.models import (
    EmailDelivery,
    Notification,
    NotificationPreference,
)
from giamsat.reports.events import ReportRequested
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins.jobs import DEAD_REDIS_URL, REDIS_URL
from tests.plugins.notifications import address_of

#: Who hears of an ad hoc request of alpha's province: the communes' users with an address
#: and an email role (x-reader is readonly: in the app only).
EXPECTED_TO = sorted(address_of("alpha", who) for who in ("x-admin", "x-staff", "y-admin"))


@pytest.fixture()
def committed_world(live_db, world):
    """Addresses for alpha's users and an ad hoc period, committed; all removed afterwards."""
    users = world.alpha.users
    with live_db.session(world.alpha.schema) as s:
        for who, user_id in users.items():
            s.get(User, user_id).email = address_of("alpha", who)
        today = clock.today()
        period = ReportPeriod(
            kind=PeriodKind.ad_hoc,
            year=today.year,
            number=99,
            title="Báo cáo nhanh",
            starts_on=today,
            ends_on=today,
            due_on=today + dt.timedelta(days=3),
            requested_by_unit_id=world.alpha.province,
        )
        s.add(period)
        s.commit()
        period_id = period.id
    yield period_id
    with live_db.session(world.alpha.schema) as s:
        for model in (EmailDelivery, Notification, NotificationPreference):
            s.execute(delete(model))
        s.execute(delete(ReportPeriod).where(ReportPeriod.id == period_id))
        s.execute(update(User).where(User.id.in_(list(users.values()))).values(email=None))
        s.commit()


@pytest.fixture()
def live_runtime(settings, live_db, redis_conn, queue_prefix):
    from giamsat.app import create_app

    previous = install_runtime(None)
    app = create_app(settings=settings, database=live_db)  # installs a runtime of its own
    rt = JobRuntime(
        settings=dataclasses.replace(settings, redis_url=REDIS_URL),
        database=live_db,
        queues=Queues(redis_conn, queue_prefix),
        app=app,
    )
    install_runtime(rt)
    yield rt
    install_runtime(previous)


def _burst(runtime) -> None:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker(runtime.queues.all(), connection=runtime.queues.connection).work(burst=True)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _retry_due_now(runtime) -> int:
    """Fast-forward RQ's backoff: put every scheduled retry on its queue now."""
    moved = 0
    for queue in runtime.queues.all():
        registry = ScheduledJobRegistry(queue=queue)
        for job_id in registry.get_job_ids():
            registry.remove(job_id)
            queue.enqueue_job(Job.fetch(job_id, connection=runtime.queues.connection))
            moved += 1
    return moved


def _request_handler(live_db, world, period_id) -> None:
    """What the request that created the ad hoc period did: its trigger records a job, the
    handler commits once. No mail is sent here."""
    with live_db.session() as shared:
        tenant = shared.get(Tenant, world.alpha.tenant_id)
    with tenant_context(live_db, tenant) as scope:
        period = scope.session.get(ReportPeriod, period_id)
        triggers.on_event(scope.session, ReportRequested(period=period, unit=None))
        scope.session.commit()


def _sent_to(mailbox) -> list[str]:
    return sorted(m["To"] for m in mailbox.messages)


def _outbox(live_db) -> list[OutboxEntry]:
    with live_db.session() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.id)))


def test_a_redis_outage_delays_notifications_and_loses_none(
    world, live_db, committed_world, live_runtime, mailbox
):
    install_runtime(
        dataclasses.replace(
            live_runtime,
            queues=Queues(
                live_runtime.queues.connection.from_url(DEAD_REDIS_URL), live_runtime.queues.prefix
            ),
        )
    )
    _request_handler(live_db, world, committed_world)
    [entry] = _outbox(live_db)
    assert (entry.job_name, entry.enqueued_at, entry.done_at) == (
        "giamsat.notifications.jobs.notify",
        None,
        None,
    )
    assert mailbox.messages == []

    install_runtime(live_runtime)  # Redis is back: the scheduler's relay pass hands it over
    assert relay_pending(live_db, live_runtime.queues) == 1
    _burst(live_runtime)
    assert _sent_to(mailbox) == EXPECTED_TO
    # Later relay passes and workers find nothing more to do.
    assert relay_pending(live_db, live_runtime.queues) == 0
    _burst(live_runtime)
    assert _sent_to(mailbox) == EXPECTED_TO
    assert all(e.done_at is not None for e in _outbox(live_db))
    with live_db.session(world.alpha.schema) as s:
        assert len(s.scalars(select(Notification)).all()) == 4


def test_a_failing_mail_server_is_retried_with_backoff_and_shown_to_operators(
    world, live_db, committed_world, live_runtime, mailbox
):
    mailbox.refuse = 1000
    _request_handler(live_db, world, committed_world)
    _burst(live_runtime)
    sends = [e for e in _outbox(live_db) if e.job_name.endswith(".send_email")]
    assert len(sends) == 3
    assert all(e.done_at is None and e.attempts == 1 and "MailError" in e.last_error for e in sends)
    job = Job.fetch(
        live_runtime.queues.job_id(sends[0].rq_key), connection=live_runtime.queues.connection
    )
    assert (job.get_status(), job.retries_left, job.retry_intervals) == (
        "scheduled",
        2,
        [10, 60, 300],
    )

    for _ in range(3):  # the three retries, each due after its backoff
        assert _retry_due_now(live_runtime) == 3
        _burst(live_runtime)
    queue = live_runtime.queues.get("notifications")
    assert len(FailedJobRegistry(queue=queue).get_job_ids()) == 3
    runner = CliRunner()
    listed = runner.invoke(jobs_command, ["failed"])
    assert listed.exit_code == 0, listed.output
    rows = [line.split("\t") for line in listed.output.splitlines()[:-1]]
    assert {tuple(r[1:4]) for r in rows} == {
        ("notifications", "giamsat.notifications.jobs.send_email", "alpha")
    }
    assert all(
        r[4].endswith("recipient refused (451)") and "MailError: SMTP" in r[4] and "@" not in r[4]
        for r in rows
    )
    assert mailbox.messages == []
    with live_db.session(world.alpha.schema) as s:
        assert s.scalars(select(EmailDelivery)).all() == []  # nothing claimed for good

    mailbox.refuse = 0  # the mail server is fixed; the operator retries
    assert runner.invoke(jobs_command, ["retry", "--all"]).output == "3 job(s) requeued.\n"
    _burst(live_runtime)
    assert _sent_to(mailbox) == EXPECTED_TO


def _worker_env(settings, mailbox, queue_prefix) -> dict[str, str]:
    return dict(
        os.environ,
        GIAMSAT_DATABASE_URL=settings.database_url,
        GIAMSAT_REDIS_URL=REDIS_URL,
        GIAMSAT_QUEUE_PREFIX=queue_prefix,
        GIAMSAT_SECRET_KEY="test-secret",
        GIAMSAT_MASTER_KEYS=settings.master_keys,
        GIAMSAT_S3_URL=settings.s3_url,
        GIAMSAT_SMTP_HOST=mailbox.host,
        GIAMSAT_SMTP_PORT=str(mailbox.port),
        PYTHONPATH=str(PROJECT_ROOT),
    )


def test_a_worker_killed_while_sending_has_its_job_picked_up_again(
    world, settings, live_db, committed_world, live_runtime, mailbox, queue_prefix
):
    mailbox.stall.set()  # the first email's SMTP conversation hangs at MAIL FROM
    _request_handler(live_db, world, committed_world)
    code = "from giamsat.cli import main; main()"
    worker = subprocess.Popen(
        [sys.executable, "-c", code, "worker", "notifications", "--text-logs"],
        env=_worker_env(settings, mailbox, queue_prefix),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert mailbox.stalled.wait(timeout=60), "the worker never reached the mail server"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the pod dies: worker and its job process
        worker.wait(timeout=10)
    mailbox.stall.clear()

    queue = live_runtime.queues.get("notifications")
    started = StartedJobRegistry(queue=queue)
    [killed] = started.get_job_ids()
    # RQ's abandoned-job handling (run by any worker's maintenance once the job's heartbeat
    # expires; here its clock is moved forward) gives the job its next retry.
    started.cleanup(timestamp=time.time() + 24 * 3600)
    assert _retry_due_now(live_runtime) == 1
    _burst(live_runtime)

    assert _sent_to(mailbox) == EXPECTED_TO  # everyone once: none lost, none doubled
    assert Job.fetch(killed, connection=live_runtime.queues.connection).get_status() == "finished"
    assert all(e.done_at is not None for e in _outbox(live_db))
