"""Ad hoc requests (báo cáo đột xuất): a higher unit asks the units below it for a report
outside the calendar. Flush only; never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import audit, clock, events
from giamsat.core.errors import ValidationFailed
from giamsat.core.validation import Errors
from giamsat.reports.events import ReportRequested
from giamsat.reports.labels import PERIOD_KIND_LABELS, vietnamese
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.reports.operations.common import REVIEWERS, check_role
from giamsat.units.queries import get_rule, get_unit


def request_ad_hoc_report(
    session: Session,
    principal,
    *,
    unit_id: int,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    due_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> ReportPeriod:
    """A higher unit asks the units below it for an ad hoc report (báo cáo đột xuất) on a
    window of its choice, due on its own date. Forbidden without a leading role at the unit;
    ValidationFailed for bad dates or when the province does not use ad hoc reports."""
    unit = get_unit(session, unit_id, principal)
    check_role(principal, unit, REVIEWERS, "yêu cầu báo cáo đột xuất")
    if not get_rule(session, "report_ad_hoc", True):
        raise ValidationFailed(
            "Tỉnh không dùng báo cáo đột xuất (quy định report_ad_hoc).", field="unit_id"
        )
    today = today or clock.today()
    errors = Errors()
    title = errors.text(title, "title", label="Tên báo cáo", required=True, max_length=300)
    if unit.level.is_residential_area:
        errors.add("unit_id", "Khu dân cư không yêu cầu báo cáo.")
    if ends_on < starts_on:
        errors.add("ends_on", "Ngày cuối kỳ phải sau ngày đầu kỳ.")
    if due_on < today:
        errors.add("due_on", "Hạn nộp đã qua: hãy chọn một ngày từ hôm nay trở đi.")
    errors.raise_if_any("Chưa tạo được yêu cầu báo cáo: hãy sửa các ô được đánh dấu.")
    number = 1 + len(
        session.scalars(
            select(ReportPeriod.id).where(
                ReportPeriod.kind == PeriodKind.ad_hoc, ReportPeriod.year == ends_on.year
            )
        ).all()
    )
    period = ReportPeriod(
        kind=PeriodKind.ad_hoc,
        year=ends_on.year,
        number=number,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        due_on=due_on,
        requested_by_unit_id=unit.id,
        request_note=(note or "").strip(),
        requested_by_id=principal.user_id,
    )
    session.add(period)
    session.flush()
    audit.record(
        session,
        principal,
        action="create",
        object_type="report_period",
        object_id=period.id,
        changes={
            "kind": [None, vietnamese(PERIOD_KIND_LABELS[PeriodKind.ad_hoc])],
            "title": [None, title],
            "due_on": [None, due_on.isoformat()],
            "unit_id": [None, unit.id],
        },
    )
    events.emit(session, ReportRequested(period=period, unit=unit))
    return period
