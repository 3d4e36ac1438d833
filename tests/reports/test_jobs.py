"""A record change → one outbox job per (unit, period), de-duplicated while pending → the
aggregation worker updates the unit and its ancestors up to the province."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from giamsat.jobs.models import OutboxEntry
from giamsat.reports.models import (
    Figure,
    Indicator,
    PeriodKind,
    Report,
    ReportEntry,
    ReportEvent,
    ReportPeriod,
)
from giamsat.reports.operations import RECOMPUTE_JOB, schedule_recompute
from giamsat.reports.provisioning import provision_tenant
from giamsat.reports.queries import read_figures
from giamsat.supervision.models import SupervisionActivity
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins.reports import TODAY, add_activity

D = dt.date


@pytest.fixture()
def seeded(live_db, world):
    """Indicators and periods committed in alpha (the worker sees only committed rows);
    everything the tests write is removed afterwards."""
    with live_db.session(world.alpha.schema) as s:
        provision_tenant(s, today=TODAY)
        s.commit()
    yield live_db
    with live_db.session(world.alpha.schema) as s:
        for model in (
            Figure,
            ReportEntry,
            ReportEvent,
            Report,
            ReportPeriod,
            Indicator,
            SupervisionActivity,
        ):
            s.execute(delete(model))
        s.commit()


def _change(db, world, unit_id, day=D(2026, 1, 5)) -> list[int]:
    """What a handler of the supervision domain does: write, schedule, commit once."""
    with db.session() as shared:
        tenant = shared.get(Tenant, world.alpha.tenant_id)
    with tenant_context(db, tenant) as scope:
        add_activity(scope.session, unit_id, world.alpha.org_mttq, day)
        recorded = schedule_recompute(scope.session, unit_id, day)
        scope.session.commit()
    return recorded


def _q1(db, world) -> ReportPeriod:
    with db.session(world.alpha.schema) as s:
        return s.scalar(
            select(ReportPeriod).where(
                ReportPeriod.kind == PeriodKind.quarterly,
                ReportPeriod.year == 2026,
                ReportPeriod.number == 1,
            )
        )


def _sessions_at(db, world, period_id, unit_id) -> int:
    with db.session(world.alpha.schema) as s:
        return read_figures(s, period_id, unit_id).consolidated.get("activities.sessions", 0)


def test_a_change_reaches_the_province_through_the_outbox(seeded, world, runtime, work_burst):
    recorded = _change(seeded, world, world.alpha.area_x)
    # 5/1/2026 lies in Q1, the first half-year and the year 2026: one job each.
    assert len(recorded) == 3
    with seeded.session() as shared:
        entries = shared.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(recorded))).all()
        assert {e.job_name for e in entries} == {RECOMPUTE_JOB}
        assert {e.queue for e in entries} == {"aggregation"}
        assert all(e.enqueued_at is not None for e in entries)  # relayed right after commit
    work_burst()
    q1 = _q1(seeded, world)
    for unit_id in (world.alpha.area_x, world.alpha.commune_x, world.alpha.province):
        assert _sessions_at(seeded, world, q1.id, unit_id) == 1
    assert _sessions_at(seeded, world, q1.id, world.alpha.commune_y) == 0
    with seeded.session() as shared:
        assert all(shared.get(OutboxEntry, i).done_at is not None for i in recorded)


def test_a_burst_of_changes_is_one_job_and_none_is_lost(seeded, world, runtime, work_burst):
    first = _change(seeded, world, world.alpha.area_x)
    # Same unit and periods while the first jobs are pending: nothing new is recorded…
    assert _change(seeded, world, world.alpha.area_x) == []
    assert _change(seeded, world, world.alpha.area_x, D(2026, 1, 6)) == []
    # …another unit has its own jobs.
    other = _change(seeded, world, world.alpha.area_y)
    assert len(first) == len(other) == 3
    work_burst()
    q1 = _q1(seeded, world)
    # The one job per (unit, period) counted all three changes of area X.
    assert _sessions_at(seeded, world, q1.id, world.alpha.area_x) == 3
    assert _sessions_at(seeded, world, q1.id, world.alpha.province) == 4
    # Once done, the next change records a new job again.
    assert len(_change(seeded, world, world.alpha.area_x)) == 3
    work_burst()
    assert _sessions_at(seeded, world, q1.id, world.alpha.province) == 5


def test_outside_a_tenant_context_nothing_is_recorded(alpha, world):
    assert schedule_recompute(alpha, world.alpha.area_x, D(2026, 1, 5)) == []
