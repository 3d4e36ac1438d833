"""Housekeeping of the job runtime itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from giamsat.jobs.decorators import platform_job
from giamsat.jobs.outbox import purge_done
from giamsat.jobs.schedules import PeriodicJob


@platform_job(queue="default")
def purge_outbox(session: Session, *, keep_days: int = 14) -> int:
    """Delete outbox rows done more than `keep_days` ago (they only served exactly-once)."""
    return purge_done(session, dt.timedelta(days=keep_days))


def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(
            "jobs.purge_outbox", "giamsat.jobs.maintenance.purge_outbox", daily_at=dt.time(2, 30)
        )
    ]
