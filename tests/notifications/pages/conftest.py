"""Fixtures of the notification pages: CSRF on, and notifications written straight to a user."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from giamsat.notifications import operations
from giamsat.notifications.models import Notification


@pytest.fixture()
def app(app):
    # Page tests run with CSRF protection exactly as in production.
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture()
def notify(tenant_session, world):
    """`notify("alpha", "x-staff", title=…)` — one notification for a world user (committed in
    the test transaction); returns its id. A case's "due soon" text unless `kind` says else."""
    counter = iter(range(1, 10_000))

    def make(
        slug: str,
        who: str,
        *,
        title: str = "Đường liên thôn bị hỏng",
        kind: str = "case_due_soon",
        link_endpoint: str | None = "cases_pages.show",
        link_values: dict | None = None,
        created_at: dt.datetime | None = None,
        params: dict | None = None,
    ) -> int:
        user_id = getattr(world, slug).users[who]
        with tenant_session(slug) as session:
            [created] = operations.create_notifications(
                session,
                user_ids=[user_id],
                unit_id=None,
                event_key=f"test:{next(counter)}",
                kind=kind,
                title=title,
                params=params
                if params is not None
                else {"number": "HS-0042", "due_on": "2026-12-01", "days": 3},
                link_endpoint=link_endpoint,
                link_values=link_values if link_values is not None else {"case_id": 42},
            )
            if created_at is not None:
                created.created_at = created_at
            session.commit()
            return created.id

    return make


@pytest.fixture()
def read_at(tenant_session):
    """`read_at("alpha", notification_id)` — when it was marked read (None: unread)."""

    def read(slug: str, notification_id: int):
        with tenant_session(slug) as session:
            return session.scalar(
                select(Notification.read_at).where(Notification.id == notification_id)
            )

    return read
