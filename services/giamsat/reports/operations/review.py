"""A report on its way up: submitted to the receiving unit, which returns it (with a reason)
or accepts it — then its figures and text are frozen. Flush only; never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.db import utcnow
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.reports.labels import NARRATIVE_FIELDS
from giamsat.reports.models import Report, ReportStatus
from giamsat.reports.operations.common import (
    AUTHORS,
    HEADER_FIELDS,
    REVIEWERS,
    audit_report,
    audited_state,
    check_editable,
    check_role,
    check_version,
    record_event,
    reviewer_unit,
)
from giamsat.reports.province_summary import refresh_province_summary
from giamsat.reports.queries.reports import get_report


def submitted_on(moment: dt.datetime) -> dt.date:
    return moment.astimezone(clock.zone()).date()


def submit_report(
    session: Session,
    principal,
    report_id: int,
    *,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Send a draft (or a returned report, again) to the receiving unit.

    On time or late is decided by the first submission against the period's due date (a
    report returned and sent again keeps it). ValidationFailed when the "Kết quả" section is
    empty; Conflict when already submitted or accepted."""
    report = get_report(session, principal, report_id)
    check_role(principal, report.unit, AUTHORS, "gửi báo cáo này")
    check_editable(report)
    check_version(report, version)
    if not report.results.strip():
        raise ValidationFailed(
            "Hãy viết phần “Kết quả thực hiện” trước khi gửi báo cáo.", field="results"
        )
    now = now or utcnow()
    before = audited_state(report)
    previous = report.status
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.is_late = submitted_on(now) > report.period.due_on
    report.submitted_at, report.submitted_by_id = now, principal.user_id
    report.status = ReportStatus.submitted
    report.version += 1
    session.flush()
    record_event(session, principal, report, "submit", previous)
    refresh_province_summary(session, report.period)  # the national view's counts
    audit_report(session, principal, report, "submit", before)
    return report


#: How long after "Gửi báo cáo" its author may still take it back ("Rút lại báo cáo"), as
#: long as the receiving unit has not accepted or returned it.
WITHDRAW_WINDOW = dt.timedelta(minutes=30)


def can_withdraw(report: Report, principal, now: dt.datetime | None = None) -> bool:
    """Only whoever pressed "Gửi báo cáo" takes it back, not the unit that receives it."""
    return (
        report.status == ReportStatus.submitted
        and report.submitted_by_id == principal.user_id
        and report.submitted_at is not None
        and (now or utcnow()) - report.submitted_at <= WITHDRAW_WINDOW
    )


def withdraw_report(
    session: Session,
    principal,
    report_id: int,
    *,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Undo a "Gửi báo cáo" within WITHDRAW_WINDOW: the report is a draft again.

    On time or late stays what the first submission decided. Conflict once the window has
    passed or the receiving unit has acted."""
    report = get_report(session, principal, report_id)
    check_role(principal, report.unit, AUTHORS, "rút lại báo cáo này")
    if not can_withdraw(report, principal, now):
        raise Conflict(
            "Chỉ người đã gửi rút lại được báo cáo vừa gửi (trong 30 phút), khi cấp trên "
            "chưa tiếp nhận.",
            field="status",
        )
    check_version(report, version)
    before = audited_state(report)
    report.status = ReportStatus.draft
    report.version += 1
    session.flush()
    record_event(session, principal, report, "withdraw", ReportStatus.submitted)
    audit_report(session, principal, report, "withdraw", before)
    return report


def _reviewable(
    session: Session, principal, report_id: int, version: int | None, action: str
) -> Report:
    report = get_report(session, principal, report_id)
    check_role(principal, reviewer_unit(session, report), REVIEWERS, action)
    if report.status != ReportStatus.submitted:
        raise Conflict(
            "Chỉ tiếp nhận hoặc trả lại được báo cáo đã gửi và đang chờ tiếp nhận.", field="status"
        )
    check_version(report, version)
    return report


def return_report(
    session: Session, principal, report_id: int, *, reason: str, version: int | None = None
) -> Report:
    """The receiving unit sends a submitted report back, saying why (required)."""
    report = _reviewable(session, principal, report_id, version, "trả lại báo cáo này")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.", field="reason")
    before = audited_state(report)
    report.status, report.returned_reason = ReportStatus.returned, reason
    report.version += 1
    session.flush()
    record_event(session, principal, report, "return", ReportStatus.submitted, reason)
    refresh_province_summary(session, report.period)  # the national view's counts
    audit_report(session, principal, report, "return", before)
    return report


def accept_report(
    session: Session,
    principal,
    report_id: int,
    *,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """The receiving unit accepts a submitted report: its figures and text are frozen."""
    report = _reviewable(session, principal, report_id, version, "tiếp nhận báo cáo này")
    now = now or utcnow()
    before = audited_state(report)
    report.status, report.accepted_at, report.accepted_by_id = (
        ReportStatus.accepted,
        now,
        principal.user_id,
    )
    report.snapshot = freeze(report, now)
    report.version += 1
    session.flush()
    record_event(session, principal, report, "accept", ReportStatus.submitted)
    refresh_province_summary(session, report.period)  # the national view's counts
    audit_report(session, principal, report, "accept", before)
    return report


def freeze(report: Report, at: dt.datetime) -> dict:
    """The frozen content of an accepted report. Figures and text only: no reporter data exists
    in a report, and none is ever added here."""
    return {
        "accepted_at": at.isoformat(),
        "period": {
            "id": report.period_id,
            "title": report.period.title,
            "starts_on": report.period.starts_on.isoformat(),
            "ends_on": report.period.ends_on.isoformat(),
            "due_on": report.period.due_on.isoformat(),
        },
        "unit": {"id": report.unit_id, "name": report.unit.name},
        "organization_id": report.organization_id,
        "narrative": {name: getattr(report, name) for name in NARRATIVE_FIELDS},
        "header": {name: getattr(report, name) for name in HEADER_FIELDS},
        "figures": {
            e.indicator_code: {
                "value": e.value,
                "computed_value": e.computed_value,
                "is_manual": e.is_manual,
                "note": e.note,
            }
            for e in report.entries
        },
        "is_late": report.is_late,
    }
