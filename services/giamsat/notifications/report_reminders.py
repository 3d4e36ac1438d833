"""The province's "remind every unit that has not sent its report" action, sent as
notifications (in the app, and by email for those who want it at once).

Each unit's event key holds the period, the unit and the day: a second click the same day —
or a double submit — creates nothing new, and tomorrow's click reminds again."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.notifications.models import Notification
from giamsat.notifications.notices import period_notice
from giamsat.notifications.notify import create_for_notice, schedule_immediate_emails
from giamsat.reports.models import ReportPeriod
from giamsat.reports.reminding import Reminded

KIND = "report_overdue"


def reminder_key(period_id: int, unit_id: int, day) -> str:
    return f"period:{period_id}:unit:{unit_id}:reminded:{day.isoformat()}"


def send_missing_reminders(
    session: Session,
    principal,
    tenant_id: int,
    period: ReportPeriod,
    recipients: dict[int, list[int]],
) -> Reminded:
    """Remind `recipients` ({unit id: user ids answering for it}) about `period`, once per
    unit and day. Flush only: the handler commits, the emails leave through the outbox."""
    today = clock.today()
    keys = {unit_id: reminder_key(period.id, unit_id, today) for unit_id in recipients}
    done_today = set(
        session.scalars(
            select(Notification.event_key).where(Notification.event_key.in_(keys.values()))
        )
    )
    result = Reminded()
    for unit_id, user_ids in recipients.items():
        if keys[unit_id] in done_today:
            result.already_today += 1
            continue
        notice = period_notice(period, unit_id, KIND, keys[unit_id])
        created = create_for_notice(session, notice, user_ids, unit_id)
        schedule_immediate_emails(session, tenant_id, created)
        result.units += bool(created)
        result.notifications += len(created)
    return result
