"""Jobs whose worker died mid-run: found by their silent heartbeat, run again from the outbox.

A worker beats for its running job every `HEARTBEAT_SECONDS` (RQ's job monitoring interval).
A worker killed outright (OOM, SIGKILL, a lost node) stops beating, and RQ would only notice
when the job's registry entry expires — minutes later. The scheduler calls `requeue_abandoned`
every pass: a started job silent for longer than `SILENT_AFTER` is taken out of RQ, and its
outbox row, if not done, becomes pending again under a fresh job key, so the relay hands it to
a live worker. Running twice is harmless: the row lock and `done_at` (`outbox.claim_run`) let
only one run commit.
"""

from __future__ import annotations

import datetime as dt
import logging

from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import StartedJobRegistry
from sqlalchemy import select, update

from giamsat.core.db import Database, utcnow
from giamsat.core.queue import Queues
from giamsat.jobs.models import NEW_JOB_KEY, OutboxEntry

log = logging.getLogger(__name__)

#: How often a worker beats for its running job (passed to RQ as `job_monitoring_interval`).
HEARTBEAT_SECONDS = 5
#: Silence after which a started job counts as abandoned: four missed beats.
SILENT_AFTER = dt.timedelta(seconds=20)


def _last_sign_of_life(job: Job) -> dt.datetime | None:
    moment = job.last_heartbeat or job.started_at
    if moment is not None and moment.tzinfo is None:  # RQ stores UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def abandoned_jobs(queues: Queues, silent_after: dt.timedelta = SILENT_AFTER) -> list[Job]:
    """Started jobs of our queues whose worker has been silent longer than `silent_after`."""
    cutoff = utcnow() - silent_after
    found = []
    for queue in queues.all():
        registry = StartedJobRegistry(queue=queue)
        for job_id in registry.get_job_ids(cleanup=False):
            try:
                job = Job.fetch(job_id, connection=queues.connection)
            except NoSuchJobError:
                continue
            seen = _last_sign_of_life(job)
            if seen is not None and seen < cutoff:
                found.append(job)
    return found


def _forget(queues: Queues, job: Job) -> None:
    StartedJobRegistry(job.origin, connection=queues.connection).remove_executions(job)
    job.delete()


def requeue_abandoned(
    db: Database, queues: Queues, *, silent_after: dt.timedelta = SILENT_AFTER
) -> int:
    """Take abandoned jobs out of RQ and make their outbox rows pending again (new job key).

    Returns how many rows will run again. A row locked by a transaction is left alone: its job
    is still alive in the database (it will commit or roll back, and RQ then hears of it). A
    row already done (the job committed just before dying) only loses its dead RQ job.
    """
    again = 0
    for job in abandoned_jobs(queues, silent_after):
        outbox_id = (job.meta or {}).get("outbox_id")
        worker = job.worker_name or "?"
        if outbox_id is None:
            _forget(queues, job)
            log.warning(
                "job %s abandoned by worker %s: not from the outbox, dropped", job.id, worker
            )
            continue
        with db.session() as session:
            entry = session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.id == outbox_id)
                .with_for_update(skip_locked=True)
            ).one_or_none()
            if entry is None:
                row = session.get(OutboxEntry, outbox_id)
                if row is None:  # the row was purged: nothing left to run
                    _forget(queues, job)
                continue  # locked: a live transaction still works on it
            if entry.done_at is None:
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.id == outbox_id)
                    .values(enqueued_at=None, job_key=NEW_JOB_KEY)
                )
                again += 1
                log.warning(
                    "job %s abandoned by worker %s (silent over %d s): outbox row %s runs again",
                    job.id,
                    worker,
                    silent_after.total_seconds(),
                    outbox_id,
                )
            _forget(queues, job)
            session.commit()
    return again
