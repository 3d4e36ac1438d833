"""Reads of reports, by concern: periods and indicators, live figures, reports, a parent's
consolidation, completeness. Re-exported here: callers say `queries.get_report`."""

from giamsat.reports.queries.completeness import (
    ChildCompleteness,
    Completeness,
    completeness,
    completeness_by_child,
)
from giamsat.reports.queries.consolidation import (
    SUBMITTED,
    ChildLine,
    Consolidation,
    build_consolidation,
    consolidation,
)
from giamsat.reports.queries.current_tree import CurrentTreeView, current_tree_view
from giamsat.reports.queries.figures import LiveFigures, get_figures, read_figures
from giamsat.reports.queries.periods import (
    current_periods,
    get_period,
    list_indicators,
    list_periods,
)
from giamsat.reports.queries.reports import (
    ReportLine,
    find_report,
    get_report,
    list_report_events,
    report_lines,
    report_values,
    reports_query,
)

__all__ = [
    "clock.zone()",
    "SUBMITTED",
    "ChildCompleteness",
    "ChildLine",
    "Completeness",
    "Consolidation",
    "CurrentTreeView",
    "LiveFigures",
    "ReportLine",
    "build_consolidation",
    "completeness",
    "completeness_by_child",
    "consolidation",
    "current_tree_view",
    "current_periods",
    "find_report",
    "get_figures",
    "get_period",
    "get_report",
    "list_indicators",
    "list_periods",
    "list_report_events",
    "read_figures",
    "report_lines",
    "report_values",
    "reports_query",
]
