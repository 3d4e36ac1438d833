"""Notification jobs (queue `notifications`): react to an event, send emails, daily sweep and
digest. Each runs in one tenant and one transaction (see jobs/decorators.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.jobs.decorators import tenant_job
from giamsat.jobs.schedules import PeriodicJob
from giamsat.notifications import delivery, digest, reminders
from giamsat.notifications.notices import notices_for
from giamsat.notifications.notify import notify_unit


def _settings():
    from giamsat.jobs.runtime import current_runtime

    return current_runtime().settings


def _day(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else clock.today()


@tenant_job(queue="notifications")
def notify(
    session: Session,
    tenant,
    *,
    kind: str,
    object_id: int,
    event_key: str,
    actor_id: int | None = None,
) -> int:
    """A domain event someone should hear about: notifications for the unit's users (not the
    one who acted) and their immediate emails as further jobs. Returns how many were created."""
    created = 0
    for notice in notices_for(session, kind, object_id, event_key):
        created += len(notify_unit(session, tenant.tenant_id, notice, exclude_user_id=actor_id))
    return created


@tenant_job(queue="notifications")
def send_email(session: Session, tenant, *, notification_id: int) -> str:
    return delivery.send_notification_email(
        session, _settings(), tenant_slug=tenant.slug, notification_id=notification_id
    )


@tenant_job(queue="notifications")
def send_digest(session: Session, tenant, *, user_id: int, day: str) -> str:
    return delivery.send_digest(
        session,
        _settings(),
        tenant_slug=tenant.slug,
        user_id=user_id,
        day=dt.date.fromisoformat(day),
        tz=clock.zone(),
    )


@tenant_job(queue="notifications")
def sweep_reminders(session: Session, tenant, *, day: str | None = None) -> dict[str, int]:
    """The daily reminders of one tenant; safe to run twice (event keys hold the due dates)."""
    return dict(reminders.sweep(session, tenant.tenant_id, _day(day)))


@tenant_job(queue="notifications")
def send_digests(session: Session, tenant, *, day: str | None = None) -> int:
    return digest.schedule_digests(session, tenant.tenant_id, _day(day), clock.zone())


#: One job per active tenant each (the schedules fan tenant jobs out, de-duplicated per day).
PERIODIC = (
    PeriodicJob(
        "notifications.reminders",
        "giamsat.notifications.jobs.sweep_reminders",
        daily_at=dt.time(6, 30),
    ),
    PeriodicJob(
        "notifications.digest", "giamsat.notifications.jobs.send_digests", daily_at=dt.time(17, 0)
    ),
)
