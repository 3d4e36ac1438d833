"""A parent's consolidation: how a unit's report adds up from its own records, its residential
areas and each reporting child (its submitted report, or its live figures, marked)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.vietnamese import sort_key
from giamsat.reports.aggregation import PeriodTree
from giamsat.reports.models import Figure, Report, ReportPeriod, ReportStatus
from giamsat.reports.queries.periods import get_period
from giamsat.reports.queries.reports import report_values
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit

#: Statuses whose figures the parent's consolidation uses instead of the live ones.
SUBMITTED = frozenset({ReportStatus.submitted, ReportStatus.accepted})


@dataclass
class ChildLine:
    """A child unit in its parent's consolidation."""

    unit: Unit
    report: Report | None
    #: "accepted", "submitted", "returned", "draft" or "missing" (no report yet).
    status: str
    #: Submitted after the deadline, or (not submitted and) the deadline has passed.
    is_late: bool
    #: "report" (the child's submitted figures) or "live" (what the records say now — the child
    #: has not submitted: clearly marked on every page and export).
    source: str
    figures: dict[str, int]


@dataclass
class Consolidation:
    period: ReportPeriod
    unit: Unit
    organization_id: int | None
    #: The unit's own live figures (records attributed to the unit itself).
    own: dict[str, int]
    #: Residential areas below the unit: they do not report; their live figures count directly.
    areas: dict[str, int]
    children: list[ChildLine] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def live_children(self) -> list[ChildLine]:
        return [c for c in self.children if c.source == "live"]

    @property
    def missing(self) -> list[ChildLine]:
        return [c for c in self.children if c.status not in ("submitted", "accepted")]

    @property
    def late(self) -> list[ChildLine]:
        return [c for c in self.children if c.is_late]


def consolidation(
    session: Session,
    principal,
    *,
    period_id: int,
    unit_id: int,
    organization_id: int | None = None,
    today: dt.date | None = None,
) -> Consolidation:
    """How a unit's report adds up: own + residential areas (live) + each reporting child —
    its submitted figures, or its live figures marked as such when it has not submitted.

    The children are those of the tree as it was at the period's end."""
    unit = get_unit(session, unit_id, principal)
    period = get_period(session, period_id)
    return build_consolidation(session, period, unit, organization_id, today or clock.today())


def build_consolidation(
    session: Session, period: ReportPeriod, unit: Unit, organization_id: int | None, today: dt.date
) -> Consolidation:
    tree = PeriodTree.load(session, period.ends_on)
    child_ids = tree.children.get(unit.id, [])
    children = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(child_ids)))}
    figures = {
        row.unit_id: row
        for row in session.scalars(
            select(Figure)
            .where(
                Figure.period_id == period.id,
                Figure.unit_id.in_([unit.id, *child_ids]),
                Figure.organization_id.is_(None)
                if organization_id is None
                else Figure.organization_id == organization_id,
            )
            .execution_options(populate_existing=True)
        )
    }
    reports = {
        r.unit_id: r
        for r in session.scalars(
            select(Report).where(
                Report.period_id == period.id,
                Report.unit_id.in_(child_ids),
                Report.organization_id.is_(None)
                if organization_id is None
                else Report.organization_id == organization_id,
            )
        )
    }
    own = dict(figures[unit.id].own) if unit.id in figures else {}
    result = Consolidation(period, unit, organization_id, own=own, areas={})
    areas, totals = Counter(), Counter(own)
    for child in sorted(children.values(), key=lambda u: sort_key(u.name)):
        live = dict(figures[child.id].consolidated) if child.id in figures else {}
        if child.level.is_residential_area:
            areas.update(live)
            continue
        report = reports.get(child.id)
        if report is not None and report.status in SUBMITTED:
            line = ChildLine(
                child,
                report,
                report.status.value,
                bool(report.is_late),
                "report",
                report_values(report),
            )
        else:
            status = report.status.value if report is not None else "missing"
            line = ChildLine(child, report, status, today > period.due_on, "live", live)
        result.children.append(line)
        totals.update(line.figures)
    totals.update(areas)
    result.areas = {k: v for k, v in sorted(areas.items()) if v}
    result.totals = {k: v for k, v in sorted(totals.items()) if v}
    return result
