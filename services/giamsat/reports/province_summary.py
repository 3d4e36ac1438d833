"""The maintained province summary of a period: how many Front units below the province were
expected to report, submitted (on time or late), were accepted or have not submitted, and the
province's own report. Refreshed where those facts change — a report submitted, returned or
accepted, a period recomputed — so the national view reads one row per tenant and period.
Flush only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.core.db import utcnow
from giamsat.reports.aggregation import PeriodTree
from giamsat.reports.models import (
    PeriodKind,
    ProvinceSummary,
    Report,
    ReportPeriod,
    ReportStatus,
)
from giamsat.units.models import Unit


def province_unit_id(session: Session) -> int | None:
    """The tenant's current province unit: the root of today's tree."""
    return session.scalar(
        select(Unit.id)
        .where(Unit.parent_id.is_(None), Unit.valid_to.is_(None))
        .order_by(Unit.id)
        .limit(1)
    )


def _reporting_nodes(tree: PeriodTree, root: int) -> list[int]:
    """Front units below `root` in the period's tree; residential areas do not report."""
    found, stack = [], list(tree.children.get(root, []))
    while stack:
        node = stack.pop()
        if tree.units[node].is_residential_area:
            continue
        found.append(node)
        stack.extend(tree.children.get(node, []))
    return found


def refresh_province_summary(session: Session, period: ReportPeriod) -> ProvinceSummary | None:
    """Count the period's reports below the province again and store the summary (regular
    periods only: ad hoc requests are not in the national view)."""
    if period.kind == PeriodKind.ad_hoc:
        return None
    root = province_unit_id(session)
    if root is None:
        return None
    tree = PeriodTree.load(session, period.ends_on)
    nodes = _reporting_nodes(tree, root)
    reports = {
        r.unit_id: r
        for r in session.scalars(
            select(Report).where(
                Report.period_id == period.id,
                Report.organization_id.is_(None),
                Report.unit_id.in_([root, *nodes]),
            )
        )
    }
    values = {
        "period_id": period.id,
        "unit_id": root,
        "expected": len(nodes),
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "accepted": 0,
        "not_submitted": 0,
        "computed_at": utcnow(),
    }
    for node in nodes:
        report = reports.get(node)
        if report is None or report.first_submitted_at is None:
            values["not_submitted"] += 1
            continue
        values["submitted"] += 1
        values["late" if report.is_late else "on_time"] += 1
        values["accepted"] += report.status == ReportStatus.accepted
    own = reports.get(root)
    values["province_status"] = own.status.value if own is not None else "missing"
    values["province_is_late"] = own.is_late if own is not None else None
    values["province_submitted_at"] = own.first_submitted_at if own is not None else None
    stmt = insert(ProvinceSummary).values(**values)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[ProvinceSummary.period_id],
            set_={k: stmt.excluded[k] for k in values if k != "period_id"},
        )
    )
    session.flush()
    return session.get(ProvinceSummary, period.id, populate_existing=True)
