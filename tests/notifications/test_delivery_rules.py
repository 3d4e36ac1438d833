"""Exactly one notification and one email per (user, event); the daily digest; preferences;
English emails for English users."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.accounts.models import User
from giamsat.core.clock import today as local_today
from giamsat.jobs.decorators import DUPLICATE
from giamsat.jobs.outbox import record_job
from giamsat.notifications import jobs
from giamsat.notifications.models import EmailMode, NotificationPreference
from giamsat.reports.models import PeriodKind, ReportPeriod
from tests.plugins.notifications import all_notifications, deliveries, notifications_of

NOTIFY = "giamsat.notifications.jobs.notify"
SEND = "giamsat.notifications.jobs.send_email"


@pytest.fixture()
def ad_hoc(world, tenant_session):
    """An ad hoc period of the province (created directly: the trigger is recorded by hand)."""
    today = local_today()
    with tenant_session("alpha") as s:
        period = ReportPeriod(
            kind=PeriodKind.ad_hoc,
            year=today.year,
            number=1,
            title="Báo cáo nhanh",
            starts_on=today,
            ends_on=today,
            due_on=today + dt.timedelta(days=3),
            requested_by_unit_id=world.alpha.province,
        )
        s.add(period)
        s.commit()
        return period


def _record(in_tenant, job, **args) -> int:
    with in_tenant("alpha") as session:
        entry_id = record_job(session, job, **args)
        session.commit()
    return entry_id


def _set_mode(tenant_session, world, who, mode, locale=None):
    with tenant_session("alpha") as s:
        user_id = world.alpha.users[who]
        s.merge(NotificationPreference(user_id=user_id, email_mode=mode))
        if locale:
            s.get(User, user_id).locale = locale
        s.commit()


def test_a_duplicated_notify_job_and_a_duplicated_send_create_one_notification_and_one_email(
    world, ad_hoc, in_tenant, job_runtime, drain, tenant_session, emails, mailbox
):
    args = {
        "kind": "report_requested",
        "object_id": ad_hoc.id,
        "event_key": f"period:{ad_hoc.id}:requested",
    }
    _record(in_tenant, NOTIFY, **args)
    _record(in_tenant, NOTIFY, **args)  # the same event recorded twice (no dedupe key)
    ran = drain()
    assert [(name, result) for name, _, result in ran if name == "notify"] == [
        ("notify", 4),
        ("notify", 0),
    ]
    assert len(notifications_of(tenant_session, world, "alpha", "x-staff")) == 1
    [n] = notifications_of(tenant_session, world, "alpha", "x-staff")
    assert len(mailbox.to(emails("alpha", "x-staff"))) == 1

    # The send job replayed under a new outbox row (by hand, or a second relay's copy)…
    _record(in_tenant, SEND, notification_id=n.id)
    assert [result for _, _, result in drain()] == ["duplicate"]
    # …and the same outbox row delivered twice: the second run does not even start.
    entry_id = _record(in_tenant, SEND, notification_id=n.id)
    first = jobs.send_email(
        tenant_id=world.alpha.tenant_id, _outbox_id=entry_id, notification_id=n.id
    )
    again = jobs.send_email(
        tenant_id=world.alpha.tenant_id, _outbox_id=entry_id, notification_id=n.id
    )
    assert (first, again) == ("duplicate", DUPLICATE)
    assert len(mailbox.to(emails("alpha", "x-staff"))) == 1
    assert len(deliveries(tenant_session, "alpha")) == 3  # x-admin, x-staff, y-admin


def test_daily_digest_collects_the_days_notifications_into_one_email(
    world, ad_hoc, in_tenant, job_runtime, drain, tenant_session, emails, mailbox
):
    _set_mode(tenant_session, world, "x-staff", EmailMode.daily_digest)
    _set_mode(tenant_session, world, "x-admin", EmailMode.none)
    for event in ("requested", "requested-again"):
        _record(
            in_tenant,
            NOTIFY,
            kind="report_requested",
            object_id=ad_hoc.id,
            event_key=f"period:{ad_hoc.id}:{event}",
        )
    drain()
    # Immediate mode (y-admin): one email each; digest and none: nothing yet.
    assert len(mailbox.to(emails("alpha", "y-admin"))) == 2
    assert mailbox.to(emails("alpha", "x-staff")) == []
    assert mailbox.to(emails("alpha", "x-admin")) == []

    today = local_today().isoformat()
    assert jobs.send_digests(tenant_id=world.alpha.tenant_id, day=today) == 1
    drain()
    [digest] = mailbox.to(emails("alpha", "x-staff"))
    assert digest["Subject"] == (f"[Giám sát MTTQ] 2 thông báo ngày {local_today():%d/%m/%Y}")
    body = digest.get_content()
    assert body.count("Cấp trên yêu cầu báo cáo đột xuất “Báo cáo nhanh”") == 2
    assert body.count("https://giamsat.example.vn/t/alpha/reports/") == 2
    assert all(n.emailed_at for n in notifications_of(tenant_session, world, "alpha", "x-staff"))
    # The digest run again the same day sends nothing more; mode "none" never gets email.
    assert jobs.send_digests(tenant_id=world.alpha.tenant_id, day=today) == 0
    _record(
        in_tenant,
        "giamsat.notifications.jobs.send_digest",
        user_id=world.alpha.users["x-staff"],
        day=today,
    )
    assert [r for _, _, r in drain()] == ["nothing to send"]
    assert len(mailbox.to(emails("alpha", "x-staff"))) == 1
    assert mailbox.to(emails("alpha", "x-admin")) == []
    assert len(notifications_of(tenant_session, world, "alpha", "x-admin")) == 2  # in the app


def test_english_users_get_english_emails_and_the_address_of_their_preference(
    world, ad_hoc, in_tenant, job_runtime, drain, tenant_session, emails, mailbox
):
    _set_mode(tenant_session, world, "y-admin", EmailMode.immediate, locale="en")
    with tenant_session("alpha") as s:
        s.get(
            NotificationPreference, world.alpha.users["y-admin"]
        ).email_address = "y.private@example.vn"
        s.commit()
    _record(
        in_tenant,
        NOTIFY,
        kind="report_requested",
        object_id=ad_hoc.id,
        event_key=f"period:{ad_hoc.id}:requested",
    )
    drain()
    [message] = mailbox.to("y.private@example.vn")
    due = ad_hoc.due_on.strftime("%d/%m/%Y")
    assert message["Subject"] == (
        f"[Front supervision] The higher unit requests an ad hoc report “Báo cáo nhanh”, due {due}."
    )
    assert message.get_content().startswith("Dear Y-Admin,") or message.get_content().startswith(
        "Dear "
    )
    assert "Kính gửi" not in message.get_content()
    assert mailbox.to(emails("alpha", "y-admin")) == []
    # Vietnamese for the others.
    assert mailbox.to(emails("alpha", "x-staff"))[0]["Subject"].startswith("[Giám sát MTTQ]")


def test_users_without_an_address_or_inactive_get_no_email(
    world, ad_hoc, in_tenant, job_runtime, drain, tenant_session, emails, mailbox
):
    with tenant_session("alpha") as s:
        s.get(User, world.alpha.users["x-staff"]).email = None
        s.get(User, world.alpha.users["x-admin"]).is_active = False
        s.commit()
    _record(
        in_tenant,
        NOTIFY,
        kind="report_requested",
        object_id=ad_hoc.id,
        event_key=f"period:{ad_hoc.id}:requested",
    )
    drain()
    assert [m["To"] for m in mailbox.messages] == [emails("alpha", "y-admin")]
    assert notifications_of(tenant_session, world, "alpha", "x-admin") == []  # inactive
    assert len(all_notifications(tenant_session, "alpha")) == 3
