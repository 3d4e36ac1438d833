"""Completeness and timeliness: the reports expected below a unit in a period, and what
became of them (on time, late, pending, missing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.vietnamese import sort_key
from giamsat.reports.aggregation import PeriodTree
from giamsat.reports.models import Report, ReportPeriod, ReportStatus
from giamsat.reports.queries.periods import get_period
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit


@dataclass
class Completeness:
    """Reports expected from the Front units below one unit in one period (residential areas do
    not report), and what became of them."""

    period: ReportPeriod
    unit_id: int
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    accepted: int = 0
    #: Not submitted yet, deadline not passed.
    pending: int = 0
    #: Not submitted and the deadline has passed.
    missing: int = 0

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 1.0


def _reporting_nodes_below(
    session: Session, tree: PeriodTree, unit_id: int, is_area: dict[int, bool]
) -> list[int]:
    found, stack = [], list(tree.children.get(unit_id, []))
    while stack:
        node = stack.pop()
        if is_area.get(node, False):
            continue
        found.append(node)
        stack.extend(tree.children.get(node, []))
    return found


def _count(
    period: ReportPeriod, unit_id: int, nodes: list[int], reports: dict[int, Report], today: dt.date
) -> Completeness:
    c = Completeness(period, unit_id, expected=len(nodes))
    for node in nodes:
        report = reports.get(node)
        if report is not None and report.first_submitted_at is not None:
            c.submitted += 1
            c.late += bool(report.is_late)
            c.on_time += not report.is_late
            c.accepted += report.status == ReportStatus.accepted
        elif today > period.due_on:
            c.missing += 1
        else:
            c.pending += 1
    return c


def completeness(
    session: Session,
    principal,
    *,
    unit_id: int,
    period_ids: list[int],
    today: dt.date | None = None,
) -> list[Completeness]:
    """Per period: expected, submitted, on time, late, accepted, pending, missing — over every
    Front unit below `unit_id` (whole-unit reports), along the tree of each period."""
    get_unit(session, unit_id, principal)
    today = today or clock.today()
    result = []
    for period in session.scalars(
        select(ReportPeriod)
        .where(ReportPeriod.id.in_(period_ids))
        .order_by(ReportPeriod.ends_on, ReportPeriod.id)
    ):
        tree, is_area = _tree_with_levels(session, period)
        nodes = _reporting_nodes_below(session, tree, unit_id, is_area)
        result.append(_count(period, unit_id, nodes, _whole_reports(session, period, nodes), today))
    return result


@dataclass
class ChildCompleteness:
    """Drill-down row: a child unit, its own report and the completeness of its subtree."""

    unit: Unit
    report: Report | None
    status: str
    is_late: bool
    below: Completeness


def completeness_by_child(
    session: Session, principal, *, unit_id: int, period_id: int, today: dt.date | None = None
) -> list[ChildCompleteness]:
    get_unit(session, unit_id, principal)
    today = today or clock.today()
    period = get_period(session, period_id)
    tree, is_area = _tree_with_levels(session, period)
    child_ids = [c for c in tree.children.get(unit_id, []) if not is_area.get(c, False)]
    subtree = {c: _reporting_nodes_below(session, tree, c, is_area) for c in child_ids}
    everyone = set(child_ids).union(*subtree.values()) if subtree else set()
    reports = _whole_reports(session, period, list(everyone))
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(child_ids)))}
    rows = []
    for child_id in sorted(child_ids, key=lambda i: sort_key(units[i].name)):
        report = reports.get(child_id)
        if report is not None and report.first_submitted_at is not None:
            status, late = report.status.value, bool(report.is_late)
        else:
            status = report.status.value if report is not None else "missing"
            late = today > period.due_on
        rows.append(
            ChildCompleteness(
                units[child_id],
                report,
                status,
                late,
                _count(period, child_id, subtree[child_id], reports, today),
            )
        )
    return rows


def _tree_with_levels(session: Session, period: ReportPeriod) -> tuple[PeriodTree, dict]:
    tree = PeriodTree.load(session, period.ends_on)
    return tree, {uid: u.is_residential_area for uid, u in tree.units.items()}


def _whole_reports(session: Session, period: ReportPeriod, unit_ids: list[int]) -> dict:
    if not unit_ids:
        return {}
    return {
        r.unit_id: r
        for r in session.scalars(
            select(Report).where(
                Report.period_id == period.id,
                Report.organization_id.is_(None),
                Report.unit_id.in_(unit_ids),
            )
        )
    }
