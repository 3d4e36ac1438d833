"""In-app notifications (thông báo), each user's email preference, and the sent-email ledger."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from giamsat.core.db import TenantBase, utcnow


class EmailMode(str, enum.Enum):
    immediate = "immediate"  #: gửi ngay từng thông báo
    daily_digest = "daily_digest"  #: gộp một thư mỗi ngày
    none = "none"  #: không gửi thư, chỉ xem trong ứng dụng


class Notification(TenantBase):
    """One thing a user should know about, with a link to the object.

    `event_key` names the event (e.g. "case:12:due:2026-12-01"); UNIQUE (user, event) makes a
    trigger or sweep that runs twice create nothing new. The title is the object's title only:
    never case content beyond it, never anything from a reporter's identity.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "event_key", name="uq_notifications_user_event"),
        # Newest first per user, the id breaking ties: a page walks it and stops (0021).
        Index(
            "ix_notifications_user_created_order",
            "user_id",
            text("created_at DESC"),
            text("id DESC"),
        ),
        # The unread badge counts these on every page.
        Index("ix_notifications_user_unread", "user_id", postgresql_where=text("read_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The unit the event is about (the recipient's unit).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    event_key: Mapped[str] = mapped_column(String(200))
    #: What happened, e.g. "case_received", "case_due_soon", "report_returned" (see kinds.py).
    kind: Mapped[str] = mapped_column(String(40))
    #: The object's title or name, already cut to fit (no content, no reporter data).
    title: Mapped[str] = mapped_column(String(300))
    #: Extra plain values the message templates use (case number, due date, days…).
    params: Mapped[dict] = mapped_column(JSONB, default=dict)
    #: Page the notification opens: an endpoint and its values (tenant added when built).
    link_endpoint: Mapped[str | None] = mapped_column(String(100))
    link_values: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=text("now()")
    )
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When it went out by email, alone or in a digest.
    emailed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(TenantBase):
    """How a user wants email; no row means immediate emails to the account's address."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_mode: Mapped[EmailMode] = mapped_column(
        Enum(
            EmailMode,
            name="email_mode",
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=EmailMode.immediate,
    )
    #: Send here instead of the account's email address.
    email_address: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=text("now()")
    )


class EmailDelivery(TenantBase):
    """One email that was sent: UNIQUE (user, key) is what makes a retried or duplicated job
    send nothing the second time. The row is inserted in the sending job's transaction before
    the SMTP conversation and commits after it (see delivery.py for the one crash window)."""

    __tablename__ = "email_deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "delivery_key", name="uq_email_deliveries_user_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: "event:<event_key>" for an immediate email, "digest:<YYYY-MM-DD>" for a daily digest.
    delivery_key: Mapped[str] = mapped_column(String(220))
    to_address: Mapped[str] = mapped_column(String(200))
    #: The Message-ID header: derived from tenant, user and key, so a resent copy carries the
    #: same id and mail clients show it once.
    message_id: Mapped[str] = mapped_column(String(300))
    notification_count: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=text("now()")
    )
