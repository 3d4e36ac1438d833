"""Creating a unit's notifications for one event and recording their immediate emails."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.accounts.models import User
from giamsat.jobs.outbox import record_job
from giamsat.notifications.models import EmailMode, Notification, NotificationPreference
from giamsat.notifications.operations import create_notifications
from giamsat.notifications.queries import (
    Recipient,
    recipient_unit_id,
    recipients_at,
    user_recipient,
)

log = logging.getLogger(__name__)

SEND_EMAIL = "giamsat.notifications.jobs.send_email"


@dataclass
class Notice:
    """What to tell the users of one unit about one event."""

    kind: str
    unit_id: int
    event_key: str
    title: str
    params: dict[str, Any] = field(default_factory=dict)
    link_endpoint: str | None = None
    link_values: dict[str, Any] = field(default_factory=dict)
    #: Set for a notice meant for one person (who asked for a file), not the unit's users.
    user_id: int | None = None


def create_for_notice(
    session: Session, notice: Notice, user_ids: list[int], unit_id: int
) -> list[Notification]:
    """The notice's notifications for `user_ids` at `unit_id` (the unit they are filed under)."""
    return create_notifications(
        session,
        user_ids=user_ids,
        unit_id=unit_id,
        event_key=notice.event_key,
        kind=notice.kind,
        title=notice.title,
        params=notice.params,
        link_endpoint=notice.link_endpoint,
        link_values=notice.link_values,
    )


def notify_unit(
    session: Session, tenant_id: int, notice: Notice, *, exclude_user_id: int | None = None
) -> list[Notification]:
    """Notify the users holding a role at the unit (an area's events go to its commune); users
    who already have this event get nothing new. Immediate emails are recorded as outbox jobs in
    this transaction. Returns the notifications created now."""
    unit_id = recipient_unit_id(session, notice.unit_id)
    recipients: list[Recipient]
    if notice.user_id is not None:
        one = user_recipient(session, notice.user_id)
        recipients = [one] if one is not None and one.user_id != exclude_user_id else []
    else:
        recipients = recipients_at(session, unit_id, exclude_user_id=exclude_user_id)
    created = create_for_notice(session, notice, [r.user_id for r in recipients], unit_id)
    by_email = {r.user_id for r in recipients if r.by_email}
    schedule_immediate_emails(session, tenant_id, [n for n in created if n.user_id in by_email])
    return created


def schedule_immediate_emails(
    session: Session, tenant_id: int, notifications: list[Notification]
) -> int:
    """One send job per notification whose user wants email at once and has an address."""
    if not notifications:
        return 0
    user_ids = {n.user_id for n in notifications}
    modes = dict(
        session.execute(
            select(NotificationPreference.user_id, NotificationPreference.email_mode).where(
                NotificationPreference.user_id.in_(user_ids)
            )
        ).all()
    )
    addressed = {
        uid
        for uid, email in session.execute(
            select(User.id, User.email).where(User.id.in_(user_ids))
        ).all()
        if email
    }
    addressed |= set(
        session.scalars(
            select(NotificationPreference.user_id).where(
                NotificationPreference.user_id.in_(user_ids),
                NotificationPreference.email_address.is_not(None),
            )
        )
    )
    recorded = 0
    for n in notifications:
        if (
            modes.get(n.user_id, EmailMode.immediate) != EmailMode.immediate
            or n.user_id not in addressed
        ):
            continue
        record_job(
            session,
            SEND_EMAIL,
            tenant_id=tenant_id,
            notification_id=n.id,
            dedupe_key=f"notification-email:{tenant_id}:{n.id}",
        )
        recorded += 1
    return recorded
