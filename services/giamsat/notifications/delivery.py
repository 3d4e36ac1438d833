"""Sending notification emails at most once per (user, event) and per (user, digest day).

How a duplicate is stopped: the sending job inserts its `email_deliveries` row (UNIQUE user +
key) in its own transaction BEFORE talking to the SMTP server, and the row commits with the
job. A second job for the same key — a duplicate outbox delivery, a retried or replayed job —
either finds the row and sends nothing, or waits on the row's lock until the first commits and
then finds it. If sending fails, the transaction (row included) rolls back and RQ retries.

The one window left: the SMTP server accepted the message and the process died before the
commit. Then the retry sends it again — at most once more per such crash — with the SAME
Message-ID header (derived from tenant, user and key), so mail clients that de-duplicate by
Message-ID show it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.accounts.models import User
from giamsat.core import mailer
from giamsat.core.db import utcnow
from giamsat.notifications.email.compose import compose_digest, compose_single
from giamsat.notifications.models import EmailDelivery, EmailMode, Notification
from giamsat.notifications.queries import EMAIL_ROLES, email_address_for, get_preference

log = logging.getLogger(__name__)

SENT, DUPLICATE = "sent", "duplicate"


def message_id(tenant_slug: str, user_id: int, key: str, mail_from: str) -> str:
    domain = mail_from.rpartition("@")[2].strip("> ") or "giamsat.local"
    digest = hashlib.sha256(f"{tenant_slug}|{user_id}|{key}".encode()).hexdigest()[:24]
    return f"<{digest}.{user_id}.{tenant_slug}@{domain}>"


def claim(session: Session, *, user_id: int, key: str, to: str, msg_id: str, count: int) -> bool:
    """Insert the delivery row; False when (user, key) was already sent (or is being sent by a
    transaction that then commits)."""
    inserted = session.execute(
        insert(EmailDelivery)
        .values(
            user_id=user_id,
            delivery_key=key,
            to_address=to,
            message_id=msg_id,
            notification_count=count,
            sent_at=utcnow(),
        )
        .on_conflict_do_nothing(constraint="uq_email_deliveries_user_key")
        .returning(EmailDelivery.id)
    ).scalar_one_or_none()
    return inserted is not None


def _emailable(user: User | None) -> bool:
    return user is not None and user.is_active and any(r.role in EMAIL_ROLES for r in user.roles)


def _send(
    session: Session,
    settings,
    *,
    tenant_slug: str,
    user: User,
    to: str,
    key: str,
    count: int,
    subject: str,
    body: str,
) -> str:
    config = mailer.MailConfig.from_settings(settings)
    msg_id = message_id(tenant_slug, user.id, key, config.mail_from)
    if not claim(session, user_id=user.id, key=key, to=to, msg_id=msg_id, count=count):
        log.info("email %s to user %s already sent: skipped", key, user.id)
        return DUPLICATE
    session.flush()
    mailer.send(
        config, mailer.build_message(config, to=to, subject=subject, body=body, message_id=msg_id)
    )
    log.info("email %s sent to user %s", key, user.id)
    return SENT


def send_notification_email(
    session: Session, settings, *, tenant_slug: str, notification_id: int
) -> str:
    """The immediate email of one notification; what happened, as a short word."""
    notification = session.get(Notification, notification_id)
    if notification is None:
        return "gone"
    user = session.get(User, notification.user_id)
    if not _emailable(user):
        return "not emailed: user"
    if get_preference(session, user.id).email_mode != EmailMode.immediate:
        return "not emailed: preference"  # the digest (or nobody) takes it
    to = email_address_for(session, user)
    if to is None:
        return "not emailed: no address"
    subject, body = compose_single(
        notification, user, tenant_slug=tenant_slug, base_url=mailer.public_base_url(settings)
    )
    outcome = _send(
        session,
        settings,
        tenant_slug=tenant_slug,
        user=user,
        to=to,
        key=f"event:{notification.event_key}",
        count=1,
        subject=subject,
        body=body,
    )
    if outcome == SENT:
        notification.emailed_at = utcnow()
    return outcome


def digest_window(day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    """Notifications of `day` and the day before (a digest missed yesterday catches up), local
    time: from the previous midnight-but-one up to the end of `day`."""
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end


def pending_for_digest(session: Session, user_id: int, day: dt.date, tz) -> list[Notification]:
    start, end = digest_window(day, tz)
    return list(
        session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.emailed_at.is_(None),
                Notification.created_at >= start,
                Notification.created_at < end,
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )


def send_digest(
    session: Session, settings, *, tenant_slug: str, user_id: int, day: dt.date, tz
) -> str:
    """One email with the day's not-yet-emailed notifications of a daily-digest user."""
    user = session.get(User, user_id)
    if not _emailable(user):
        return "not emailed: user"
    if get_preference(session, user.id).email_mode != EmailMode.daily_digest:
        return "not emailed: preference"
    to = email_address_for(session, user)
    if to is None:
        return "not emailed: no address"
    pending = pending_for_digest(session, user_id, day, tz)
    if not pending:
        return "nothing to send"
    subject, body = compose_digest(
        pending, user, tenant_slug=tenant_slug, base_url=mailer.public_base_url(settings), day=day
    )
    outcome = _send(
        session,
        settings,
        tenant_slug=tenant_slug,
        user=user,
        to=to,
        key=f"digest:{day.isoformat()}",
        count=len(pending),
        subject=subject,
        body=body,
    )
    if outcome == SENT:
        now = utcnow()
        for n in pending:
            n.emailed_at = now
    return outcome
