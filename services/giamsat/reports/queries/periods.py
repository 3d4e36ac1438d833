"""Reads of the calendar and the catalogue: periods (regular and ad hoc) and indicators."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import literal, or_, select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.errors import NotFound
from giamsat.reports.models import Indicator, PeriodKind, ReportPeriod
from giamsat.units.models import Unit


def list_periods(
    session: Session, *, year: int | None = None, kind: PeriodKind | None = None, principal=None
) -> list[ReportPeriod]:
    """Regular periods, and the ad hoc ones requested by units `principal` sees (all of them
    when no principal is given: jobs). Ordered by window, then kind."""
    stmt = select(ReportPeriod)
    if year is not None:
        stmt = stmt.where(ReportPeriod.year == year)
    if kind is not None:
        stmt = stmt.where(ReportPeriod.kind == kind)
    if principal is not None:
        stmt = stmt.where(_period_visible(principal))
    return list(
        session.scalars(
            stmt.order_by(ReportPeriod.ends_on, ReportPeriod.starts_on.desc(), ReportPeriod.id)
        )
    )


def _period_visible(principal):
    """Regular periods are everyone's; an ad hoc one is visible inside the requesting unit's
    subtree and above it (where the request came from)."""
    roots = principal.root_paths
    if not roots:
        return ReportPeriod.kind != PeriodKind.ad_hoc
    requester_path = (
        select(Unit.path).where(Unit.id == ReportPeriod.requested_by_unit_id).scalar_subquery()
    )
    below = or_(*(requester_path.startswith(root) for root in roots))
    above = or_(*(literal(root).startswith(requester_path) for root in roots))
    return or_(ReportPeriod.kind != PeriodKind.ad_hoc, below, above)


def get_period(session: Session, period_id: int, principal=None) -> ReportPeriod:
    stmt = select(ReportPeriod).where(ReportPeriod.id == period_id)
    if principal is not None:
        stmt = stmt.where(_period_visible(principal))
    period = session.scalar(stmt)
    if period is None:
        raise NotFound("Không tìm thấy kỳ báo cáo.")
    return period


def current_periods(session: Session, today: dt.date | None = None) -> list[ReportPeriod]:
    """Regular periods whose window contains `today` or whose deadline has not passed yet."""
    today = today or clock.today()
    return list(
        session.scalars(
            select(ReportPeriod)
            .where(
                ReportPeriod.kind != PeriodKind.ad_hoc,
                ReportPeriod.starts_on <= today,
                ReportPeriod.due_on >= today - dt.timedelta(days=31),
            )
            .order_by(ReportPeriod.due_on, ReportPeriod.id)
        )
    )


def list_indicators(session: Session, *, active_only: bool = True) -> list[Indicator]:
    stmt = select(Indicator)
    if active_only:
        stmt = stmt.where(Indicator.is_active.is_(True))
    return list(session.scalars(stmt.order_by(Indicator.sort_order, Indicator.code)))
