"""The daily sweep fans out one job per tenant, once per day however often the scheduler runs;
a request that triggers notifications sends no mail itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from giamsat.cases import operations
from giamsat.core import clock
from giamsat.core.clock import zone
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.schedules import run_due_schedules, sync_schedules
from giamsat.notifications.jobs import PERIODIC
from giamsat.worker.periodic import declared_schedules
from tests.plugins.notifications import all_notifications


def test_the_sweep_and_the_digest_are_declared_daily_schedules():
    declared = {p.id: p for p in declared_schedules()}
    assert declared["notifications.reminders"].job == "giamsat.notifications.jobs.sweep_reminders"
    assert declared["notifications.reminders"].daily_at == dt.time(6, 30)
    assert declared["notifications.digest"].daily_at == dt.time(17, 0)


def test_the_daily_sweep_records_one_job_per_tenant_once(world, live_db):
    start = dt.datetime(2026, 12, 1, 0, 0, tzinfo=zone())
    with live_db.session() as s:
        sync_schedules(s, list(PERIODIC), now=start)
        s.commit()
    at_630 = dt.datetime(2026, 12, 1, 6, 31, tzinfo=zone())
    assert run_due_schedules(live_db, at_630) == {"notifications.reminders": 2}
    # A second scheduler, or the same one a moment later: nothing more that day.
    assert run_due_schedules(live_db, at_630) == {}
    assert run_due_schedules(live_db, at_630 + dt.timedelta(hours=1)) == {}
    with live_db.session() as s:
        rows = s.scalars(
            select(OutboxEntry).where(
                OutboxEntry.job_name == "giamsat.notifications.jobs.sweep_reminders"
            )
        ).all()
    assert sorted(r.tenant_id for r in rows) == sorted(
        [world.alpha.tenant_id, world.beta.tenant_id]
    )
    assert all(r.queue == "notifications" for r in rows)
    # The digest in the evening, the sweep again the next morning.
    assert run_due_schedules(live_db, at_630.replace(hour=17, minute=1)) == {
        "notifications.digest": 2
    }
    assert run_due_schedules(live_db, at_630 + dt.timedelta(days=1)) == {
        "notifications.reminders": 2
    }


def test_a_request_that_escalates_a_case_only_records_an_outbox_row(
    world,
    catalogue,
    principal_of,
    client,
    api_token,
    tenant_session,
    emails,
    mailbox,
    pending_jobs,
    job_runtime,
):
    staff = principal_of("alpha", "x-staff")
    with tenant_session("alpha") as s:
        case = operations.receive_case(
            s,
            staff,
            unit_id=world.alpha.commune_x,
            received_on=clock.today(),
            channel="in_person",
            kind="petition",
            title="Cầu treo hỏng",
            content="Nội dung.",
            tag_codes=("CV",),
        )
        s.commit()
    response = client.post(
        f"/api/v1/t/alpha/cases/{case.id}/transitions",
        json={"action": "escalate", "reason": "Vượt thẩm quyền cấp xã."},
        headers={"Authorization": f"Bearer {api_token('alpha', 'x-staff')}"},
    )
    assert response.status_code == 200, response.get_json()
    assert [name for name, _ in pending_jobs()] == ["notify"]
    assert mailbox.messages == [] and all_notifications(tenant_session, "alpha") == []
