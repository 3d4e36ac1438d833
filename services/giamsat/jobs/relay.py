"""The relay: hands committed outbox rows to RQ, and puts back rows Redis has lost.

It runs right after a transaction that recorded jobs commits (best effort, in the same
process) and every few seconds in the scheduler process (the one that guarantees delivery).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from contextvars import ContextVar, Token

from redis.exceptions import RedisError
from rq.exceptions import DuplicateJobError
from rq.job import Job
from sqlalchemy import select

from giamsat.core.db import Database, utcnow
from giamsat.core.logging import error_summary
from giamsat.core.queue import FAILURE_TTL, Queues, default_retry
from giamsat.jobs.models import OutboxEntry

log = logging.getLogger(__name__)


def enqueue_entry(queues: Queues, entry: OutboxEntry) -> Job | None:
    """Put one row on its RQ queue under the job id `outbox-<id>-<job_key>`.

    The id makes a second enqueue of the same row a no-op (None) while RQ still holds the first.
    """
    kwargs = dict(entry.args or {}, _outbox_id=entry.id)
    if entry.tenant_id is not None:
        kwargs["tenant_id"] = entry.tenant_id
    try:
        return queues.get(entry.queue).enqueue_call(
            func=entry.job_name,
            kwargs=kwargs,
            job_id=queues.job_id(entry.rq_key),
            unique=True,
            retry=default_retry(),
            failure_ttl=FAILURE_TTL,
            description=f"{entry.job_name} (outbox {entry.id})",
            meta={"outbox_id": entry.id, "tenant_id": entry.tenant_id},
        )
    except DuplicateJobError:
        return None


def relay_pending(
    db: Database, queues: Queues, *, ids: Iterable[int] | None = None, limit: int = 200
) -> int:
    """Enqueue pending rows (all, or only `ids`); returns how many were handed to RQ.

    Rows are locked with SKIP LOCKED, so relays running at once share the work instead of
    doubling it. If Redis is down, the rows stay pending and the next pass tries again.
    """
    stmt = (
        select(OutboxEntry)
        .where(OutboxEntry.enqueued_at.is_(None), OutboxEntry.done_at.is_(None))
        .order_by(OutboxEntry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        stmt = stmt.where(OutboxEntry.id.in_(list(ids)))
    handed = 0
    with db.session() as session:
        entries = session.scalars(stmt).all()
        for position, entry in enumerate(entries):
            try:
                enqueue_entry(queues, entry)
            except RedisError as error:
                log.warning(
                    "relay: Redis unavailable, %d job(s) stay pending: %s",
                    len(entries) - position,
                    error_summary(error),
                )
                break
            except Exception as error:  # a broken row must not block the others
                entry.last_error = f"relay: {error_summary(error)}"
                log.exception("relay: cannot enqueue outbox row %s (%s)", entry.id, entry.job_name)
                continue
            entry.enqueued_at = utcnow()
            handed += 1
        session.commit()
    if handed:
        log.info("relay: %d job(s) enqueued", handed)
    return handed


#: Where `relay_now` puts the rows instead of enqueuing them, while a web request collects
#: them to hand over once its response has gone (`collect_relays`).
_collected: ContextVar[list[int] | None] = ContextVar("giamsat_collected_relays", default=None)


def collect_relays() -> tuple[list[int], Token]:
    """From now on in this context, `relay_now` only remembers the rows, in the list returned;
    `stop_collecting(token)` ends it. A web request enqueues them after its response is sent:
    the rows are committed already, and the person waiting for the page should not wait for
    Redis too (the scheduler's relay still guarantees delivery if that never happens)."""
    rows: list[int] = []
    return rows, _collected.set(rows)


def stop_collecting(token: Token) -> None:
    _collected.reset(token)


def relay_now(ids: list[int]) -> None:
    """After-commit hook: enqueue the rows this transaction recorded, never raising.

    The data is already committed; if this fails the scheduler's relay picks the rows up.
    """
    collecting = _collected.get()
    if collecting is not None:
        collecting.extend(ids)
        return
    from giamsat.jobs.runtime import current_runtime

    runtime = current_runtime(build=False)
    if runtime is None:
        log.debug(
            "relay: no job runtime in this process; %d row(s) left to the scheduler", len(ids)
        )
        return
    try:
        relay_pending(runtime.database, runtime.queues, ids=ids)
    except Exception:
        log.warning("relay after commit failed; the scheduler will retry", exc_info=True)


def requeue_lost(
    db: Database, queues: Queues, *, older_than: dt.timedelta, limit: int = 500
) -> int:
    """Make enqueued-but-unfinished rows pending again when RQ no longer knows their job
    (Redis restarted without persistence, or was flushed). Returns how many."""
    cutoff = utcnow() - older_than
    stmt = (
        select(OutboxEntry)
        .where(OutboxEntry.done_at.is_(None), OutboxEntry.enqueued_at < cutoff)
        .order_by(OutboxEntry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    lost = 0
    with db.session() as session:
        for entry in session.scalars(stmt).all():
            if not Job.exists(queues.job_id(entry.rq_key), connection=queues.connection):
                entry.enqueued_at = None
                lost += 1
        session.commit()
    if lost:
        log.warning("relay: %d job(s) lost by Redis are pending again", lost)
    return lost
