"""Reads of reports: lists, one report, its history and its printed lines."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from giamsat.core.errors import NotFound
from giamsat.reports.models import Indicator, Report, ReportEvent, ReportPeriod, ReportStatus
from giamsat.reports.queries.periods import list_indicators
from giamsat.units.queries import scoped


def reports_query(
    principal,
    *,
    period_id: int | None = None,
    unit_id: int | None = None,
    organization_id: int | None = None,
    status: ReportStatus | None = None,
    whole_unit_only: bool = False,
) -> Select:
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
    report = session.scalar(
        scoped(select(Report).where(Report.id == report_id), Report.unit_id, principal)
    )
    if report is None:
        raise NotFound("Không tìm thấy báo cáo.")
    return report


def find_report(
    session: Session, *, period_id: int, unit_id: int, organization_id: int | None = None
) -> Report | None:
    """Unscoped lookup by natural key (callers have checked the unit)."""
    return session.scalar(
        select(Report).where(
            Report.period_id == period_id,
            Report.unit_id == unit_id,
            Report.organization_id.is_(None)
            if organization_id is None
            else Report.organization_id == organization_id,
        )
    )


def list_report_events(session: Session, report: Report) -> list[ReportEvent]:
    return list(
        session.scalars(
            select(ReportEvent)
            .where(ReportEvent.report_id == report.id)
            .order_by(ReportEvent.at, ReportEvent.id)
        )
    )


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
        items = {
            e.indicator_code: {
                "value": e.value,
                "computed_value": e.computed_value,
                "is_manual": e.is_manual,
                "note": e.note,
            }
            for e in report.entries
        }
    indicators = {i.code: i for i in list_indicators(session, active_only=False)}
    lines = [
        ReportLine(
            indicators[code], item["value"], item["computed_value"], item["is_manual"], item["note"]
        )
        for code, item in items.items()
        if code in indicators
    ]
    return sorted(lines, key=lambda line: (line.indicator.sort_order, line.indicator.code))
