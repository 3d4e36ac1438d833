"""Regular periods of past years on demand (e.g. 2023–2025, before the July 2025 reform), with
their figures computed through the tree as it stood on each period's last day. Flush only."""

from __future__ import annotations

from dataclasses import dataclass

from giamsat.core import clock
from giamsat.core.errors import ValidationFailed
from giamsat.reports import aggregation
from giamsat.reports.calendar import ensure_periods
from giamsat.reports.models import ReportPeriod

#: The earliest year periods can be generated for: QĐ 124-QĐ/TW dates from 02/02/2018.
FIRST_YEAR = 2018


@dataclass
class PastPeriods:
    created: list[ReportPeriod]
    #: Figure rows written by the recompute of the created periods.
    figure_rows: int


def generate_past_periods(session, years: list[int], *, recompute: bool = True) -> PastPeriods:
    """Create the missing regular periods (quarters, half-year, year) of `years` from the
    tenant's calendar rules — the same deadlines and cut-off days as today's periods, since the
    province's rules before the reform are not known separately [UNCONFIRMED] — and compute
    their figures. Existing periods are left alone. Raises ValidationFailed for a year before
    FIRST_YEAR or after next year."""
    last = clock.today().year + 1
    wrong = sorted(y for y in set(years) if not FIRST_YEAR <= y <= last)
    if wrong or not years:
        raise ValidationFailed(
            f"Năm phải từ {FIRST_YEAR} đến {last}"
            + (f" (không nhận: {', '.join(map(str, wrong))})." if wrong else "."),
            field="year",
        )
    created = ensure_periods(session, sorted(set(years)))
    rows = 0
    if recompute:
        for period in created:
            rows += aggregation.recompute_period(session, period)
    return PastPeriods(created, rows)
