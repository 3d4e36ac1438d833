"""Changes made through the other domains' operations schedule the recompute by themselves
(domain events → one outbox job per unit and period), in the same transaction as the change."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from giamsat.jobs.models import OutboxEntry
from giamsat.reports.operations import RECOMPUTE_JOB
from giamsat.reports.provisioning import provision_tenant
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins.reports import TODAY

D = dt.date


@pytest.fixture()
def inside_alpha(db, world):
    """A tenant context on alpha (inside the test transaction) with periods seeded."""
    tenant = db.session().get(Tenant, world.alpha.tenant_id)
    with tenant_context(db, tenant) as scope:
        provision_tenant(scope.session, today=TODAY)
        scope.session.flush()
        yield scope


def _recompute_jobs(session) -> list[OutboxEntry]:
    return list(session.scalars(select(OutboxEntry).where(OutboxEntry.job_name == RECOMPUTE_JOB)))


def test_an_activity_recorded_through_supervision_schedules_its_unit(
    inside_alpha, world, principal
):
    from giamsat.supervision.operations import create_activity

    session = inside_alpha.session
    create_activity(
        session,
        principal(session, "x-staff"),
        unit_id=world.alpha.commune_x,
        organization_id=world.alpha.org_mttq,
        kind="thematic",
        title="Giám sát chuyên đề",
        starts_on=D(2026, 1, 5),
    )
    jobs = _recompute_jobs(session)
    # 5/1/2026 is in Q1, the first half-year and the year: one job each, for commune X only.
    assert len(jobs) == 3
    assert {job.args["unit_id"] for job in jobs} == {world.alpha.commune_x}
    assert all(
        job.tenant_id == world.alpha.tenant_id and job.queue == "aggregation" for job in jobs
    )


def test_a_case_received_and_forwarded_is_one_pending_job_per_period(
    inside_alpha, world, principal
):
    from giamsat.cases.operations import forward_case, receive_case, start_verification

    session = inside_alpha.session
    staff = principal(session, "x-staff")
    case = receive_case(
        session,
        staff,
        unit_id=world.alpha.commune_x,
        received_on=D(2026, 1, 5),
        channel="phone",
        kind="petition",
        title="Đường làng",
        content="Đường làng bị lấn chiếm.",
    )
    first = len(_recompute_jobs(session))
    start_verification(session, staff, case.id)
    forward_case(
        session,
        staff,
        case.id,
        recipient_kind="party_committee",
        recipient_name="Đảng ủy xã",
        forwarded_on=D(2026, 1, 6),
    )
    # Later changes of the same case are de-duplicated while its jobs are pending.
    assert first >= 3 and len(_recompute_jobs(session)) == first
