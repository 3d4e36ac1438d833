"""The outbox and the schedules, both in the `shared` schema (one relay serves every tenant)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from giamsat.core.db import SharedBase, TimestampMixin, utcnow

#: A fresh job key (16 hex digits), drawn by PostgreSQL (see migration 0006).
NEW_JOB_KEY = text("substr(md5(gen_random_uuid()::text), 1, 16)")


class OutboxEntry(SharedBase):
    """A job recorded in the same transaction as the data it is about.

    Life: pending (enqueued_at empty) → enqueued to RQ by the relay → done (done_at set by the
    job itself, in the job's own transaction, so a duplicate delivery finds it done and skips).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        # A dedupe key is unique among jobs not yet done: recording the same reminder twice while
        # the first is still waiting adds nothing.
        Index(
            "uq_outbox_dedupe_key_open",
            "dedupe_key",
            unique=True,
            postgresql_where=text("done_at IS NULL"),
        ),
        # What the relay scans every few seconds.
        Index(
            "ix_outbox_pending",
            "id",
            postgresql_where=text("enqueued_at IS NULL AND done_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    #: The tenant the job runs in; empty for platform jobs.
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("shared.tenants.id", ondelete="CASCADE"), index=True
    )
    #: RQ queue by workload: aggregation, notifications, ocr, default.
    queue: Mapped[str] = mapped_column(String(40))
    #: Dotted path of the decorated job function, e.g. "giamsat.reports.jobs.reaggregate".
    job_name: Mapped[str] = mapped_column(String(200))
    #: Keyword arguments: plain ids and short strings only, never objects.
    args: Mapped[dict] = mapped_column(JSONB, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()"), default=utcnow
    )
    #: When the relay handed it to RQ; emptied again if Redis lost it.
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the job body committed (or was skipped for good, see `last_error`).
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Runs started, successful or not.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: Summary of the last failure (secrets redacted).
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Random part of the RQ job id, drawn by the database: row ids repeat after a restore or
    #: across deployments sharing a Redis prefix, this does not. A restored row or a job taken
    #: back from a dead worker gets a new one (`NEW_JOB_KEY`).
    job_key: Mapped[str] = mapped_column(String(32), server_default=NEW_JOB_KEY)

    @property
    def rq_key(self) -> str:
        """RQ job id without the deployment prefix: a second enqueue of this row is refused
        while RQ holds the first, and no other row's job (of this database or an earlier
        one) has the same id."""
        return f"outbox-{self.id}-{self.job_key}"


class Schedule(TimestampMixin, SharedBase):
    """Periodic work with a stable id ("reports.nightly"); rows are synced from code at start.

    Exactly one of `interval_seconds` and `daily_at` is set. Schedulers claim a due row with a
    conditional UPDATE, so two schedulers running at once still start the work once.
    """

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint("(interval_seconds IS NULL) <> (daily_at IS NULL)", name="one_timing"),
        CheckConstraint(
            "interval_seconds IS NULL OR interval_seconds >= 1", name="interval_positive"
        ),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    job_name: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str] = mapped_column(String(40))
    #: One outbox row per active tenant (True) or one platform job (False).
    per_tenant: Mapped[bool] = mapped_column(Boolean, default=True)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    #: Time of day in Vietnam time (Asia/Ho_Chi_Minh).
    daily_at: Mapped[dt.time | None] = mapped_column(Time)
    #: Extra keyword arguments for the job (plain values).
    args: Mapped[dict] = mapped_column(JSONB, default=dict)
    #: False once the schedule is gone from the code; kept for its history.
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    next_run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
