"""Reads: periods, indicators, live figures, reports, a parent's consolidation, completeness."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Select, literal, or_, select
from sqlalchemy.orm import Session

from giamsat.core.errors import NotFound
from giamsat.reports.aggregation import PeriodTree
from giamsat.reports.indicators import LOCAL_TZ
from giamsat.reports.models import (
    Figure,
    Indicator,
    PeriodKind,
    Report,
    ReportEvent,
    ReportPeriod,
    ReportStatus,
)
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, scoped

#: Statuses whose figures the parent's consolidation uses instead of the live ones.
SUBMITTED = frozenset({ReportStatus.submitted, ReportStatus.accepted})


def local_today() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()


# --- periods and indicators ---------------------------------------------------------------------

def list_periods(session: Session, *, year: int | None = None, kind: PeriodKind | None = None,
                 principal=None) -> list[ReportPeriod]:
    """Regular periods, and the ad hoc ones requested by units `principal` sees (all of them
    when no principal is given: jobs). Ordered by window, then kind."""
    stmt = select(ReportPeriod)
    if year is not None:
        stmt = stmt.where(ReportPeriod.year == year)
    if kind is not None:
        stmt = stmt.where(ReportPeriod.kind == kind)
    if principal is not None:
        stmt = stmt.where(_period_visible(principal))
    return list(session.scalars(stmt.order_by(ReportPeriod.ends_on, ReportPeriod.starts_on.desc(),
                                              ReportPeriod.id)))


def _period_visible(principal):
    """Regular periods are everyone's; an ad hoc one is visible inside the requesting unit's
    subtree and above it (where the request came from)."""
    roots = principal.root_paths
    if not roots:
        return ReportPeriod.kind != PeriodKind.ad_hoc
    requester_path = select(Unit.path).where(
        Unit.id == ReportPeriod.requested_by_unit_id).scalar_subquery()
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
    today = today or local_today()
    return list(session.scalars(
        select(ReportPeriod).where(ReportPeriod.kind != PeriodKind.ad_hoc,
                                   ReportPeriod.starts_on <= today,
                                   ReportPeriod.due_on >= today - dt.timedelta(days=31))
        .order_by(ReportPeriod.due_on, ReportPeriod.id)))


def list_indicators(session: Session, *, active_only: bool = True) -> list[Indicator]:
    stmt = select(Indicator)
    if active_only:
        stmt = stmt.where(Indicator.is_active.is_(True))
    return list(session.scalars(stmt.order_by(Indicator.sort_order, Indicator.code)))


# --- live figures -------------------------------------------------------------------------------

@dataclass
class LiveFigures:
    """What the records say now for one (period, unit, organization)."""

    own: dict[str, int]
    consolidated: dict[str, int]
    computed_at: dt.datetime | None


def get_figures(session: Session, principal, *, period_id: int, unit_id: int,
                organization_id: int | None = None) -> LiveFigures:
    """The stored live figures of a visible unit (one row: the fast province read)."""
    get_unit(session, unit_id, principal)
    return read_figures(session, period_id, unit_id, organization_id)


def read_figures(session: Session, period_id: int, unit_id: int,
                 organization_id: int | None = None) -> LiveFigures:
    """Unscoped read for jobs and internal use; empty when nothing was computed yet."""
    stmt = select(Figure.own, Figure.consolidated, Figure.computed_at).where(
        Figure.period_id == period_id, Figure.unit_id == unit_id,
        Figure.organization_id.is_(None) if organization_id is None
        else Figure.organization_id == organization_id)
    row = session.execute(stmt).first()
    if row is None:
        return LiveFigures({}, {}, None)
    return LiveFigures(dict(row.own), dict(row.consolidated), row.computed_at)


# --- reports ------------------------------------------------------------------------------------

def reports_query(principal, *, period_id: int | None = None, unit_id: int | None = None,
                  organization_id: int | None = None, status: ReportStatus | None = None,
                  whole_unit_only: bool = False) -> Select:
    """Reports of the units `principal` sees, newest period first."""
    stmt = select(Report).join(Report.period)
    if period_id is not None:
        stmt = stmt.where(Report.period_id == period_id)
    if unit_id is not None:
        stmt = stmt.where(Report.unit_id == unit_id)
    if organization_id is not None:
        stmt = stmt.where(Report.organization_id == organization_id)
    elif whole_unit_only:
        stmt = stmt.where(Report.organization_id.is_(None))
    if status is not None:
        stmt = stmt.where(Report.status == status)
    stmt = scoped(stmt, Report.unit_id, principal)
    return stmt.order_by(ReportPeriod.ends_on.desc(), Report.unit_id, Report.id)


def get_report(session: Session, principal, report_id: int) -> Report:
    """A report of a visible unit; NotFound for a missing or invisible one alike."""
    report = session.scalar(scoped(select(Report).where(Report.id == report_id),
                                   Report.unit_id, principal))
    if report is None:
        raise NotFound("Không tìm thấy báo cáo.")
    return report


def find_report(session: Session, *, period_id: int, unit_id: int,
                organization_id: int | None = None) -> Report | None:
    """Unscoped lookup by natural key (callers have checked the unit)."""
    return session.scalar(select(Report).where(
        Report.period_id == period_id, Report.unit_id == unit_id,
        Report.organization_id.is_(None) if organization_id is None
        else Report.organization_id == organization_id))


def list_report_events(session: Session, report: Report) -> list[ReportEvent]:
    return list(session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)
                                .order_by(ReportEvent.at, ReportEvent.id)))


def report_values(report: Report) -> dict[str, int]:
    """The figures a report states: its frozen snapshot once accepted, else its entries."""
    if report.snapshot is not None:
        return {code: item["value"] for code, item in report.snapshot["figures"].items()}
    return {e.indicator_code: e.value for e in report.entries}


@dataclass
class ReportLine:
    """One printed row of a report (pages, DOCX, XLSX): never anything about a reporter."""

    indicator: Indicator
    value: int
    computed_value: int | None
    is_manual: bool
    note: str


def report_lines(session: Session, report: Report) -> list[ReportLine]:
    """The report's figures in catalogue order, from the snapshot once it is frozen."""
    if report.snapshot is not None:
        items = report.snapshot["figures"]
    else:
        items = {e.indicator_code: {"value": e.value, "computed_value": e.computed_value,
                                    "is_manual": e.is_manual, "note": e.note}
                 for e in report.entries}
    indicators = {i.code: i for i in list_indicators(session, active_only=False)}
    lines = [ReportLine(indicators[code], item["value"], item["computed_value"],
                        item["is_manual"], item["note"])
             for code, item in items.items() if code in indicators]
    return sorted(lines, key=lambda line: (line.indicator.sort_order, line.indicator.code))


# --- a parent's consolidation -------------------------------------------------------------------

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


def consolidation(session: Session, principal, *, period_id: int, unit_id: int,
                  organization_id: int | None = None,
                  today: dt.date | None = None) -> Consolidation:
    """How a unit's report adds up: own + residential areas (live) + each reporting child —
    its submitted figures, or its live figures marked as such when it has not submitted.

    The children are those of the tree as it was at the period's end."""
    unit = get_unit(session, unit_id, principal)
    period = get_period(session, period_id)
    return build_consolidation(session, period, unit, organization_id, today or local_today())


def build_consolidation(session: Session, period: ReportPeriod, unit: Unit,
                        organization_id: int | None, today: dt.date) -> Consolidation:
    tree = PeriodTree.load(session, period.ends_on)
    child_ids = tree.children.get(unit.id, [])
    children = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(child_ids)))}
    figures = {row.unit_id: row for row in session.scalars(select(Figure).where(
        Figure.period_id == period.id, Figure.unit_id.in_([unit.id, *child_ids]),
        Figure.organization_id.is_(None) if organization_id is None
        else Figure.organization_id == organization_id)
        .execution_options(populate_existing=True))}
    reports = {r.unit_id: r for r in session.scalars(select(Report).where(
        Report.period_id == period.id, Report.unit_id.in_(child_ids),
        Report.organization_id.is_(None) if organization_id is None
        else Report.organization_id == organization_id))}
    own = dict(figures[unit.id].own) if unit.id in figures else {}
    result = Consolidation(period, unit, organization_id, own=own, areas={})
    areas, totals = Counter(), Counter(own)
    for child in sorted(children.values(), key=lambda u: u.name):
        live = dict(figures[child.id].consolidated) if child.id in figures else {}
        if child.level.is_residential_area:
            areas.update(live)
            continue
        report = reports.get(child.id)
        if report is not None and report.status in SUBMITTED:
            line = ChildLine(child, report, report.status.value, bool(report.is_late), "report",
                             report_values(report))
        else:
            status = report.status.value if report is not None else "missing"
            line = ChildLine(child, report, status, today > period.due_on, "live", live)
        result.children.append(line)
        totals.update(line.figures)
    totals.update(areas)
    result.areas = {k: v for k, v in sorted(areas.items()) if v}
    result.totals = {k: v for k, v in sorted(totals.items()) if v}
    return result


# --- completeness and timeliness ----------------------------------------------------------------

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


def _reporting_nodes_below(session: Session, tree: PeriodTree, unit_id: int,
                           is_area: dict[int, bool]) -> list[int]:
    found, stack = [], list(tree.children.get(unit_id, []))
    while stack:
        node = stack.pop()
        if is_area.get(node, False):
            continue
        found.append(node)
        stack.extend(tree.children.get(node, []))
    return found


def _count(period: ReportPeriod, unit_id: int, nodes: list[int],
           reports: dict[int, Report], today: dt.date) -> Completeness:
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


def completeness(session: Session, principal, *, unit_id: int, period_ids: list[int],
                 today: dt.date | None = None) -> list[Completeness]:
    """Per period: expected, submitted, on time, late, accepted, pending, missing — over every
    Front unit below `unit_id` (whole-unit reports), along the tree of each period."""
    get_unit(session, unit_id, principal)
    today = today or local_today()
    result = []
    for period in session.scalars(select(ReportPeriod).where(ReportPeriod.id.in_(period_ids))
                                  .order_by(ReportPeriod.ends_on, ReportPeriod.id)):
        tree, is_area = _tree_with_levels(session, period)
        nodes = _reporting_nodes_below(session, tree, unit_id, is_area)
        result.append(_count(period, unit_id, nodes, _whole_reports(session, period, nodes),
                             today))
    return result


@dataclass
class ChildCompleteness:
    """Drill-down row: a child unit, its own report and the completeness of its subtree."""

    unit: Unit
    report: Report | None
    status: str
    is_late: bool
    below: Completeness


def completeness_by_child(session: Session, principal, *, unit_id: int, period_id: int,
                          today: dt.date | None = None) -> list[ChildCompleteness]:
    get_unit(session, unit_id, principal)
    today = today or local_today()
    period = get_period(session, period_id)
    tree, is_area = _tree_with_levels(session, period)
    child_ids = [c for c in tree.children.get(unit_id, []) if not is_area.get(c, False)]
    subtree = {c: _reporting_nodes_below(session, tree, c, is_area) for c in child_ids}
    everyone = set(child_ids).union(*subtree.values()) if subtree else set()
    reports = _whole_reports(session, period, list(everyone))
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(child_ids)))}
    rows = []
    for child_id in sorted(child_ids, key=lambda i: units[i].name):
        report = reports.get(child_id)
        if report is not None and report.first_submitted_at is not None:
            status, late = report.status.value, bool(report.is_late)
        else:
            status = report.status.value if report is not None else "missing"
            late = today > period.due_on
        rows.append(ChildCompleteness(units[child_id], report, status, late,
                                      _count(period, child_id, subtree[child_id], reports, today)))
    return rows


def _tree_with_levels(session: Session, period: ReportPeriod) -> tuple[PeriodTree, dict]:
    tree = PeriodTree.load(session, period.ends_on)
    return tree, {uid: u.is_residential_area for uid, u in tree.units.items()}


def _whole_reports(session: Session, period: ReportPeriod, unit_ids: list[int]) -> dict:
    if not unit_ids:
        return {}
    return {r.unit_id: r for r in session.scalars(select(Report).where(
        Report.period_id == period.id, Report.organization_id.is_(None),
        Report.unit_id.in_(unit_ids)))}
