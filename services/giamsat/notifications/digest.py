"""The daily digest: one send job per daily-digest user with something new."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.jobs.outbox import record_job
from giamsat.notifications.delivery import digest_window
from giamsat.notifications.models import EmailMode, Notification, NotificationPreference

SEND_DIGEST = "giamsat.notifications.jobs.send_digest"


def digest_user_ids(session: Session, day: dt.date, tz) -> list[int]:
    start, end = digest_window(day, tz)
    return list(
        session.scalars(
            select(NotificationPreference.user_id)
            .where(NotificationPreference.email_mode == EmailMode.daily_digest)
            .where(
                select(Notification.id)
                .where(
                    Notification.user_id == NotificationPreference.user_id,
                    Notification.emailed_at.is_(None),
                    Notification.created_at >= start,
                    Notification.created_at < end,
                )
                .exists()
            )
            .order_by(NotificationPreference.user_id)
        )
    )


def schedule_digests(session: Session, tenant_id: int, day: dt.date, tz) -> int:
    """Record the day's digest jobs (flush only); a second run while they wait adds none, and
    one that already ran finds its delivery row and sends nothing."""
    users = digest_user_ids(session, day, tz)
    for user_id in users:
        record_job(
            session,
            SEND_DIGEST,
            tenant_id=tenant_id,
            user_id=user_id,
            day=day.isoformat(),
            dedupe_key=f"digest:{tenant_id}:{user_id}:{day}",
        )
    return len(users)
