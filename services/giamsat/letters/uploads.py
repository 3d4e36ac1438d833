"""Objects written outside the database transaction, made traceable: the pending-upload journal.

Keys are committed in `pending_uploads` (a session of their own) BEFORE anything is written;
the handler's transaction deletes that row together with writing the rows that reference the
objects. A failure deletes the objects at once; a crash leaves the row for the periodic cleanup.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from giamsat.core.db import utcnow
from giamsat.core.storage import StorageError
from giamsat.letters.models import PendingUpload

log = logging.getLogger(__name__)
#: Older pending rows belong to crashed uploads (an upload never takes this long).
ORPHAN_AGE = dt.timedelta(hours=6)


class UploadJournal:
    """Commits pending rows apart from the handler's transaction.

    `open_session` returns a new session on the tenant's schema (not the handler's)."""

    def __init__(self, open_session):
        self._open_session = open_session

    @classmethod
    def for_current_tenant(cls) -> UploadJournal:
        """Inside a request or a job: a session of the app's database on the current schema."""
        from giamsat.jobs.runtime import current_runtime
        from giamsat.tenancy.context import current_tenant

        schema = current_tenant().schema_name
        db = current_runtime().database
        return cls(lambda: db.session(schema))

    @classmethod
    def of_session(cls, session: Session) -> UploadJournal:
        """A second session on the same bind (CLI, benchmarks)."""
        return cls(sessionmaker(bind=session.get_bind(), expire_on_commit=False))

    def begin(self, keys: list[str], *, purpose: str, user_id: int | None) -> int:
        with self._open_session() as apart:
            row = PendingUpload(
                object_keys=list(keys), purpose=purpose, user_id=user_id, created_at=utcnow()
            )
            apart.add(row)
            apart.commit()
            return row.id

    def discard(self, pending_id: int) -> None:
        with self._open_session() as apart:
            apart.execute(delete(PendingUpload).where(PendingUpload.id == pending_id))
            apart.commit()


def delete_objects(storage, keys) -> list[str]:
    """Best effort; returns the keys that could not be deleted (the cleanup retries them)."""
    left = []
    for key in keys:
        try:
            storage.delete(key)
        except StorageError:
            left.append(key)
    return left


@contextmanager
def guarded_objects(
    session: Session,
    storage,
    keys: list[str],
    *,
    journal: UploadJournal,
    purpose: str,
    user_id: int | None,
) -> Iterator[None]:
    """Write objects under `keys` inside the block; the rows referencing them are added to
    `session` in the block too. On an exception the objects and the pending row go at once;
    on success the pending row's deletion joins the handler's transaction, and a later rollback
    of that transaction deletes the objects (the pending row then remains for the cleanup)."""
    pending_id = journal.begin(keys, purpose=purpose, user_id=user_id)
    try:
        yield
        session.execute(delete(PendingUpload).where(PendingUpload.id == pending_id))
        session.flush()
    except BaseException:
        if not delete_objects(storage, keys):
            try:
                journal.discard(pending_id)
            except Exception:  # the cleanup job will find the row
                log.warning("could not discard pending upload %s", pending_id, exc_info=True)
        raise
    _delete_on_rollback(session, storage, keys)


_OBJECTS = "giamsat_letters_objects"


def _delete_on_rollback(session: Session, storage, keys: list[str]) -> None:
    """Remember the keys with the (sub)transaction that references them; hooks are added once
    per session (listeners can't be removed while they run)."""
    from sqlalchemy import event

    entries = session.info.setdefault(_OBJECTS, [])
    if not session.info.get(_OBJECTS + "_hooked"):
        session.info[_OBJECTS + "_hooked"] = True

        @event.listens_for(session, "after_commit")
        def _forget(sess):
            sess.info.get(_OBJECTS, []).clear()

        @event.listens_for(session, "after_soft_rollback")
        def _remove(sess, previous):
            objects = sess.info.get(_OBJECTS, [])
            for entry in [e for e in objects if _within(e[0], previous)]:
                objects.remove(entry)
                delete_objects(entry[1], entry[2])

    transaction = session.get_nested_transaction() or session.get_transaction()
    entries.append((transaction, storage, list(keys)))


def _within(transaction, ancestor) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def clean_orphans(
    session: Session,
    storage,
    *,
    older_than: dt.timedelta = ORPHAN_AGE,
    now: dt.datetime | None = None,
) -> int:
    """Delete the objects of pending rows older than `older_than`, then the rows (flush only).
    Returns the number of rows cleaned; rows whose objects could not be deleted stay."""
    cutoff = (now or utcnow()) - older_than
    cleaned = 0
    rows = session.scalars(
        select(PendingUpload)
        .where(PendingUpload.created_at < cutoff)
        .order_by(PendingUpload.id)
        .with_for_update(skip_locked=True)
    )
    for row in rows:
        left = delete_objects(storage, row.object_keys)
        if left:
            row.object_keys = left
            continue
        session.delete(row)
        cleaned += 1
    session.flush()
    return cleaned
