"""Changing notifications and preferences (flush only; the handler or job commits)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.db import utcnow
from giamsat.core.validation import Errors
from giamsat.notifications.models import EmailMode, Notification, NotificationPreference
from giamsat.notifications.queries import get_notification

#: Enough to catch a typo; the SMTP server is the real judge.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TITLE_LIMIT = 300


def create_notifications(
    session: Session,
    *,
    user_ids: Iterable[int],
    unit_id: int | None,
    event_key: str,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    link_endpoint: str | None = None,
    link_values: dict[str, Any] | None = None,
) -> list[Notification]:
    """One notification per user for the event; a (user, event) that already has one gets
    nothing new (a job run twice, a sweep run twice). Returns only the rows created now."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return []
    now = utcnow()
    title = (title or "").strip()
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    rows = [
        {
            "user_id": uid,
            "unit_id": unit_id,
            "event_key": event_key,
            "kind": kind,
            "title": title,
            "params": params or {},
            "link_endpoint": link_endpoint,
            "link_values": link_values or {},
            "created_at": now,
        }
        for uid in user_ids
    ]
    stmt = (
        insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_notifications_user_event")
        .returning(Notification.id)
    )
    ids = list(session.execute(stmt).scalars())
    if not ids:
        return []
    return list(
        session.scalars(
            select(Notification).where(Notification.id.in_(ids)).order_by(Notification.user_id)
        )
    )


def mark_read(session: Session, user_id: int, notification_id: int) -> Notification:
    """Mark the user's own notification read (again: no change). NotFound for anyone else's."""
    notification = get_notification(session, user_id, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def set_preferences(
    session: Session, principal, *, email_mode: str | EmailMode, email_address: str | None = None
) -> NotificationPreference:
    """Save how `principal` (always oneself) wants email. ValidationFailed with field errors."""
    errors = Errors()
    mode = errors.choice(
        EmailMode,
        email_mode,
        "email_mode",
        message="Hãy chọn: gửi thư ngay, gộp một thư mỗi ngày, hoặc không gửi thư.",
    )
    address = errors.text(email_address, "email_address", label="Địa chỉ thư điện tử") or None
    if address is not None and (len(address) > 200 or not _EMAIL.match(address)):
        errors.add("email_address", "Địa chỉ thư điện tử không đúng (ví dụ: ten@example.vn).")
    errors.raise_if_any("Chưa lưu được cách nhận thông báo: hãy sửa các ô được đánh dấu.")
    preference = session.get(NotificationPreference, principal.user_id)
    before = audit.snapshot(preference) if preference is not None else {}
    if preference is None:
        preference = NotificationPreference(user_id=principal.user_id)
        session.add(preference)
    preference.email_mode, preference.email_address = mode, address
    preference.updated_at = utcnow()
    session.flush()
    changes = audit.diff(before, audit.snapshot(preference))
    changes.pop("updated_at", None)
    if changes:
        audit.record(
            session,
            principal,
            action="update" if before else "create",
            object_type="notification_preference",
            object_id=principal.user_id,
            changes=changes,
        )
    return preference
