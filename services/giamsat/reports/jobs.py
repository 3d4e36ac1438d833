"""Aggregation jobs: one unit's figures up its ancestors, a whole period, and the nightly run."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.jobs.decorators import tenant_job
from giamsat.jobs.schedules import PeriodicJob
from giamsat.reports import aggregation
from giamsat.reports.calendar import ensure_periods
from giamsat.reports.models import ReportPeriod
from giamsat.reports.province_summary import refresh_province_summary
from giamsat.reports.yearly_review.operations import create_year_end_drafts

log = logging.getLogger(__name__)

#: Periods whose window ended longer ago than this are left alone by the nightly run: late
#: records are still caught by the per-change recompute.
NIGHTLY_LOOKBACK = dt.timedelta(days=45)


@tenant_job(queue="aggregation")
def recompute_unit(session: Session, tenant, *, period_id: int, unit_id: int) -> list[int]:
    """Recorded by `operations.schedule_recompute` after a record changed."""
    period = session.get(ReportPeriod, period_id)
    if period is None:
        return []
    return aggregation.recompute_unit(session, period, unit_id)


@tenant_job(queue="aggregation")
def recompute_period(session: Session, tenant, *, period_id: int) -> int:
    """Every figure of one period (after a tree change, or by an operator)."""
    period = session.get(ReportPeriod, period_id)
    if period is None:
        return 0
    rows = aggregation.recompute_period(session, period)
    refresh_province_summary(session, period)  # the tree may have changed: count again
    return rows


@tenant_job(queue="aggregation")
def nightly(session: Session, tenant) -> int:
    """Generate the periods of this year and the next; recompute the periods still open (figures
    and the province summary)."""
    today = clock.today()
    ensure_periods(session, [today.year, today.year + 1])
    return recompute_open_periods(session, today)


def recompute_open_periods(session: Session, today: dt.date) -> int:
    """Every period still open on `today` (or closed within NIGHTLY_LOOKBACK), from scratch, and
    its province summary; flush only. Returns the figure rows written."""
    periods = session.scalars(
        select(ReportPeriod)
        .where(ReportPeriod.starts_on <= today, ReportPeriod.ends_on >= today - NIGHTLY_LOOKBACK)
        .order_by(ReportPeriod.id)
    ).all()
    rows = 0
    for period in periods:
        rows += aggregation.recompute_period(session, period)
        refresh_province_summary(session, period)
    log.info("nightly report figures: %d periods, %d rows", len(periods), rows)
    return rows


@tenant_job()
def yearly_review_drafts(session: Session, tenant) -> int:
    """At year end (Vietnam days), a draft yearly review for every unit that has none yet."""
    created = create_year_end_drafts(session, clock.today())
    log.info("yearly review drafts: %d created", created)
    return created


PERIODIC = [
    PeriodicJob("reports.nightly", "giamsat.reports.jobs.nightly", daily_at=dt.time(1, 30)),
    PeriodicJob(
        "reports.yearly_review_drafts",
        "giamsat.reports.jobs.yearly_review_drafts",
        daily_at=dt.time(2, 30),
    ),
]
