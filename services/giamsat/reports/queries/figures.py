"""Reads of the live figures: what the records say now, as stored by the aggregation jobs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.reports.models import Figure
from giamsat.units.queries import get_unit


@dataclass
class LiveFigures:
    """What the records say now for one (period, unit, organization)."""

    own: dict[str, int]
    consolidated: dict[str, int]
    computed_at: dt.datetime | None


def get_figures(
    session: Session, principal, *, period_id: int, unit_id: int, organization_id: int | None = None
) -> LiveFigures:
    """The stored live figures of a visible unit (one row: the fast province read)."""
    get_unit(session, unit_id, principal)
    return read_figures(session, period_id, unit_id, organization_id)


def read_figures(
    session: Session, period_id: int, unit_id: int, organization_id: int | None = None
) -> LiveFigures:
    """Unscoped read for jobs and internal use; empty when nothing was computed yet."""
    stmt = select(Figure.own, Figure.consolidated, Figure.computed_at).where(
        Figure.period_id == period_id,
        Figure.unit_id == unit_id,
        Figure.organization_id.is_(None)
        if organization_id is None
        else Figure.organization_id == organization_id,
    )
    row = session.execute(stmt).first()
    if row is None:
        return LiveFigures({}, {}, None)
    return LiveFigures(dict(row.own), dict(row.consolidated), row.computed_at)
