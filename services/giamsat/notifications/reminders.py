"""The daily reminder sweep of one tenant: deadlines coming and passed.

Response deadlines count on the tenant's calendar (national holidays and its `days_off`). A case
forwarded under a deadline rule (`cases.deadlines`) is reminded that rule's `reminder_days`
before its due date, on the rule's clock; other cases and supervision recommendations count
WORKING days: "due in N working days", N the tenant rule `reminder_days_before_due` (default 3). Report deadlines count CALENDAR days, as the reporting calendar does: reminders at
7 days and at 1 day before the due date. Every reminder's event key holds the object and its due
date, so a sweep run twice — or a day late — creates each reminder once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.cases.models import Case, CaseStatus, DeadlineClock, DeadlineRule
from giamsat.core.workdays import WorkCalendar
from giamsat.identity import Grant, Principal, Role
from giamsat.letters.queries import overdue_openings
from giamsat.notifications.notices import (
    case_notice,
    period_notice,
    recommendation_notice,
    report_notice,
    reporting_units,
)
from giamsat.notifications.notify import Notice, notify_unit
from giamsat.reports.models import Report, ReportPeriod, ReportStatus
from giamsat.supervision.models import Recommendation, RecommendationStatus
from giamsat.units.queries import get_rule, work_calendar

log = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 3
#: Calendar days before a report's due date at which its unit is reminded.
REPORT_REMINDER_DAYS = (7, 1)
#: Reports overdue for longer than this are not announced any more (a first sweep after
#: installation would otherwise announce every old period).
REPORT_OVERDUE_HORIZON = dt.timedelta(days=30)

#: Sees the whole tree: the sweep works for every unit of the tenant.
SWEEP_PRINCIPAL = Principal(
    user_id=0,
    username="system",
    full_name="system",
    locale="vi",
    grants=(Grant(Role.tenant_admin, 0, "/"),),
)


def reminder_days(session: Session) -> int:
    days = get_rule(session, "reminder_days_before_due", DEFAULT_REMINDER_DAYS)
    try:
        return max(0, int(days))
    except (TypeError, ValueError):
        return DEFAULT_REMINDER_DAYS


def _deadline(
    calendar: WorkCalendar, due_on: dt.date, today: dt.date, window: int
) -> tuple[str, int] | None:
    """("overdue", 0) once past due; ("due", working days left) within the window."""
    if due_on < today:
        return "overdue", 0
    left = calendar.working_days_between(today, due_on)
    return ("due", left) if left <= window else None


def _case_window(case: Case, rules: dict[int, DeadlineRule], window: int) -> tuple[int, bool]:
    """The reminder of the case's deadline rule (days, counted on calendar days?), else the
    tenant's `reminder_days_before_due` in working days."""
    rule = rules.get(case.deadline_rule_id) if case.deadline_rule_id else None
    if rule is None:
        return window, False
    return rule.reminder_days, rule.clock == DeadlineClock.calendar_days


def case_notices(session: Session, today: dt.date, window: int) -> list[Notice]:
    calendar = work_calendar(session)
    rules = {rule.id: rule for rule in session.scalars(select(DeadlineRule))}
    widest = max([window, *(rule.reminder_days for rule in rules.values())])
    horizon = max(calendar.add_working_days(today, widest), today + dt.timedelta(days=widest))
    cases = session.scalars(
        select(Case)
        .where(
            Case.status == CaseStatus.awaiting_response,
            Case.due_on.is_not(None),
            Case.due_on <= horizon,
        )
        .order_by(Case.id)
    )
    found = []
    for case in cases:
        days, on_calendar = _case_window(case, rules, window)
        state = _deadline(calendar, case.due_on, today, days)
        if on_calendar and case.due_on >= today:
            left = calendar.working_days_between(today, case.due_on)
            state = ("due", left) if (case.due_on - today).days <= days else None
        if state is None:
            continue
        if state[0] == "overdue":
            found.append(
                case_notice(
                    case, "case_overdue", f"case:{case.id}:overdue:{case.due_on.isoformat()}"
                )
            )
        else:
            found.append(
                case_notice(
                    case,
                    "case_due_soon",
                    f"case:{case.id}:due:{case.due_on.isoformat()}",
                    days=state[1],
                )
            )
    return found


def recommendation_notices(session: Session, today: dt.date, window: int) -> list[Notice]:
    calendar = work_calendar(session)
    horizon = calendar.add_working_days(today, window)
    recs = session.scalars(
        select(Recommendation)
        .where(
            Recommendation.status == RecommendationStatus.awaiting, Recommendation.due_on <= horizon
        )
        .order_by(Recommendation.id)
    )
    found = []
    for rec in recs:
        state = _deadline(calendar, rec.due_on, today, window)
        if state is None:
            continue
        due = rec.due_on.isoformat()
        if state[0] == "overdue":
            found.append(
                recommendation_notice(
                    rec, "recommendation_overdue", f"recommendation:{rec.id}:overdue:{due}"
                )
            )
        else:
            found.append(
                recommendation_notice(
                    rec,
                    "recommendation_due_soon",
                    f"recommendation:{rec.id}:due:{due}",
                    days=state[1],
                )
            )
    return found


def report_notices(session: Session, today: dt.date) -> list[Notice]:
    """Units that have not sent their report (none yet, a draft, or returned to them)."""
    periods = session.scalars(
        select(ReportPeriod)
        .where(
            ReportPeriod.due_on >= today - REPORT_OVERDUE_HORIZON,
            ReportPeriod.due_on <= today + dt.timedelta(days=max(REPORT_REMINDER_DAYS)),
        )
        .order_by(ReportPeriod.due_on, ReportPeriod.id)
    )
    found = []
    for period in periods:
        left = (period.due_on - today).days
        if left < 0:
            kind, step = "report_overdue", "overdue"
        else:
            # The smallest reminder step not yet passed: 7 days before, then 1 day before.
            step_days = min(d for d in REPORT_REMINDER_DAYS if left <= d)
            kind, step = "report_due_soon", f"due{step_days}"
        units = reporting_units(session, period)
        reports = {
            r.unit_id: r
            for r in session.scalars(
                select(Report).where(
                    Report.period_id == period.id,
                    Report.organization_id.is_(None),
                    Report.unit_id.in_([u.id for u in units]),
                )
            )
        }
        for unit in units:
            report = reports.get(unit.id)
            if report is not None and report.status in (
                ReportStatus.submitted,
                ReportStatus.accepted,
            ):
                continue
            key = f"period:{period.id}:unit:{unit.id}:{step}"
            if report is not None:
                notice = report_notice(report, period, kind, key)
            else:
                notice = period_notice(period, unit.id, kind, key)
            if kind == "report_due_soon":
                notice.params["days"] = left
            found.append(notice)
    return found


def box_notices(session: Session, today: dt.date) -> list[Notice]:
    found = []
    for commune_id, boxes in overdue_openings(session, SWEEP_PRINCIPAL, today=today).items():
        for item in boxes:
            label = f"{item.box.label_code} ({item.area.name})"
            found.append(
                Notice(
                    kind="box_opening_overdue",
                    unit_id=commune_id,
                    event_key=f"box:{item.box.id}:overdue:{item.due_on.isoformat()}",
                    title=label,
                    params={"due_on": item.due_on.isoformat()},
                    link_endpoint="letters_pages.openings",
                    link_values={"unit": commune_id},
                )
            )
    return found


def sweep(session: Session, tenant_id: int, today: dt.date) -> Counter:
    """Create today's reminders (flush only); returns how many notifications of each kind."""
    window = reminder_days(session)
    notices = (
        case_notices(session, today, window)
        + recommendation_notices(session, today, window)
        + report_notices(session, today)
        + box_notices(session, today)
    )
    created: Counter = Counter()
    for notice in notices:
        created[notice.kind] += len(notify_unit(session, tenant_id, notice))
    log.info("reminder sweep %s: %s", today.isoformat(), dict(created) or "nothing new")
    return +created  # kinds with nothing new are left out
