"""Recording jobs in the caller's transaction, and the bookkeeping jobs do on their outbox row."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import delete, event, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.core.db import Database, utcnow
from giamsat.core.logging import error_summary
from giamsat.core.queue import validate_queue
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.relay import relay_now
from giamsat.jobs.spec import plain_args, spec_for
from giamsat.tenancy.context import current_tenant_or_none

log = logging.getLogger(__name__)

_PENDING_IDS = "giamsat_outbox_ids"
_HOOKED = "giamsat_outbox_hooked"


def record_job(
    session: Session,
    job_name: str,
    *,
    queue: str | None = None,
    tenant_id: int | None = None,
    dedupe_key: str | None = None,
    **ids: Any,
) -> int | None:
    """Record `job_name(**ids)` to run after this transaction commits; flush only.

    `tenant_id` defaults to the tenant context the session belongs to. With a `dedupe_key`, a
    second record while the first is not yet done adds nothing and returns None. Raises
    UnknownJob for a name that is not a declared job, TypeError for non-plain arguments,
    ValueError for a missing tenant or an unknown queue. If the transaction rolls back, the job
    is gone with the data: nothing runs for work that never happened.
    """
    spec = spec_for(job_name)
    args = plain_args(ids)
    queue = validate_queue(queue or spec.queue)
    if spec.per_tenant and tenant_id is None:
        scope = current_tenant_or_none()
        if scope is None or scope.session is not session:
            raise ValueError(f"{job_name} is a tenant job: pass tenant_id")
        tenant_id = scope.tenant_id
    if not spec.per_tenant and tenant_id is not None:
        raise ValueError(f"{job_name} is a platform job: it takes no tenant_id")

    stmt = insert(OutboxEntry).values(
        tenant_id=tenant_id,
        queue=queue,
        job_name=job_name,
        args=args,
        dedupe_key=dedupe_key,
        created_at=utcnow(),
        attempts=0,
    )
    if dedupe_key is not None:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["dedupe_key"], index_where=text("done_at IS NULL")
        )
    entry_id = session.execute(stmt.returning(OutboxEntry.id)).scalar_one_or_none()
    if entry_id is not None:
        _relay_after_commit(session, entry_id)
    return entry_id


def _relay_after_commit(session: Session, entry_id: int) -> None:
    """Remember the row on the session; once the transaction commits, try to enqueue it now
    rather than waiting for the scheduler's next relay pass."""
    session.info.setdefault(_PENDING_IDS, []).append(entry_id)
    if session.info.get(_HOOKED):
        return
    session.info[_HOOKED] = True
    event.listen(session, "after_commit", _after_commit)
    event.listen(session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING_IDS, [])
    if not ids:
        return
    relay_now(ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_IDS, None)


def claim_run(session: Session, entry_id: int) -> bool:
    """Mark the row done inside the job's own transaction; False if it already is.

    The conditional UPDATE takes the row lock: a duplicate delivery running at the same moment
    waits for this transaction, then finds `done_at` set and skips. If the job fails, the
    rollback takes the mark away and a retry may claim it again.
    """
    claimed = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, OutboxEntry.done_at.is_(None))
        .values(done_at=utcnow(), attempts=OutboxEntry.attempts + 1, last_error=None)
        .returning(OutboxEntry.id)
    ).scalar_one_or_none()
    return claimed is not None


def record_failure(db: Database, entry_id: int, error: BaseException) -> None:
    """Count a failed attempt, in its own transaction (the job's was rolled back)."""
    with db.session() as session:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id, OutboxEntry.done_at.is_(None))
            .values(attempts=OutboxEntry.attempts + 1, last_error=error_summary(error))
        )
        session.commit()


def mark_skipped(db: Database, entry_id: int, reason: str) -> None:
    """Close a row whose job cannot run for good (its tenant is gone or suspended)."""
    with db.session() as session:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id, OutboxEntry.done_at.is_(None))
            .values(done_at=utcnow(), last_error=f"skipped: {reason}")
        )
        session.commit()


def purge_done(session: Session, older_than: dt.timedelta) -> int:
    """Delete rows done longer ago than `older_than`; flush only."""
    result = session.execute(delete(OutboxEntry).where(OutboxEntry.done_at < utcnow() - older_than))
    return getattr(result, "rowcount", 0) or 0  # a DML result (CursorResult) has one


def outbox_counts(session: Session) -> dict[str, int]:
    """Rows pending (not yet in RQ), enqueued (in RQ, not done) and with a recorded error."""
    row = session.execute(
        select(
            func.count().filter(OutboxEntry.enqueued_at.is_(None), OutboxEntry.done_at.is_(None)),
            func.count().filter(
                OutboxEntry.enqueued_at.is_not(None), OutboxEntry.done_at.is_(None)
            ),
            func.count().filter(OutboxEntry.done_at.is_(None), OutboxEntry.last_error.is_not(None)),
        )
    ).one()
    return {"pending": row[0], "enqueued": row[1], "failing": row[2]}
