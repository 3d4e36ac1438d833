"""Per-tenant seed data of reports: the indicator catalogue and this year's and next year's
periods. Idempotent; rows an admin changed are left alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.reports.calendar import ensure_periods
from giamsat.reports.indicators import load_catalogue
from giamsat.reports.models import Indicator
from giamsat.reports.yearly_review.sections import seed_sections

FIELDS = (
    "group_code",
    "label",
    "unit_of_measure",
    "computation",
    "argument",
    "method",
    "sort_order",
)


def seed_indicators(session: Session) -> int:
    """Insert new indicators, refresh unchanged ones; returns how many rows changed."""
    existing = {row.code: row for row in session.scalars(select(Indicator))}
    changed = 0
    for spec in load_catalogue():
        fresh = {
            "group_code": spec.group,
            "label": spec.label,
            "unit_of_measure": spec.unit,
            "computation": spec.computation,
            "argument": spec.argument,
            "method": spec.method,
            "sort_order": spec.sort_order,
        }
        row = existing.get(spec.code)
        if row is None:
            session.add(Indicator(code=spec.code, is_active=True, is_overridden=False, **fresh))
            changed += 1
        elif not row.is_overridden and any(getattr(row, k) != v for k, v in fresh.items()):
            for key, value in fresh.items():
                setattr(row, key, value)
            changed += 1
    session.flush()
    return changed


def provision_tenant(
    session: Session,
    progress: Callable[[str], None] = lambda line: None,
    today: dt.date | None = None,
) -> int:
    today = today or clock.today()
    changed = seed_indicators(session)
    created = ensure_periods(session, [today.year, today.year + 1])
    sections = seed_sections(session)
    progress(
        f"      report indicators: {changed} added or updated; report periods: {len(created)} added;"
        f" yearly review sections: {sections} added"
    )
    return changed + len(created) + sections
