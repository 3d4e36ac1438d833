"""Recording jobs: validated up front, nothing written for bad input, deduplicated on request."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from giamsat.core.db import utcnow
from giamsat.core.queue import UnknownQueue
from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.outbox import outbox_counts, record_job
from giamsat.jobs.spec import UnknownJob
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from giamsat.units.models import Unit
from tests.plugins import sample_jobs
from tests.plugins.jobs import job_name

MARK_AREA = job_name(sample_jobs.mark_area)
COUNT_TENANTS = job_name(sample_jobs.count_tenants)

# These tests count rows as recorded: with a runtime installed, a commit would relay them.
pytestmark = pytest.mark.usefixtures("no_job_runtime")


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry))


@pytest.mark.parametrize(
    ("name", "kwargs", "error"),
    [
        ("tests.plugins.sample_jobs.nope", {"unit_id": 1}, UnknownJob),
        ("tests.plugins.sample_jobs.not_a_job", {"unit_id": 1}, UnknownJob),
        ("mark_area", {"unit_id": 1}, UnknownJob),
        (MARK_AREA, {"unit_id": 1, "queue": "email"}, UnknownQueue),
        (MARK_AREA, {"unit_id": 1.5}, TypeError),
        (MARK_AREA, {"unit_id": "x" * 201}, TypeError),
        (MARK_AREA, {"_outbox_id": 3}, TypeError),
        (MARK_AREA, {"unit_id": 1, "tenant_id": None}, ValueError),  # tenant job, no tenant
        (COUNT_TENANTS, {"tenant_id": 1}, ValueError),  # platform job given a tenant
    ],
)
def test_bad_records_raise_and_write_nothing(live_db, name, kwargs, error):
    with live_db.session() as s:
        with pytest.raises(error):
            record_job(s, name, **kwargs)
        s.commit()
    assert _count(live_db) == 0


def test_orm_objects_are_refused(world, live_db):
    with live_db.session(world.alpha.schema) as s:
        unit = s.get(Unit, world.alpha.area_x)
        with pytest.raises(TypeError, match="plain id"):
            record_job(s, MARK_AREA, tenant_id=world.alpha.tenant_id, unit=unit)


def test_the_tenant_defaults_to_the_sessions_tenant_context(world, live_db):
    with live_db.session() as s:
        tenant = s.get(Tenant, world.beta.tenant_id)
    with tenant_context(live_db, tenant) as scope:
        entry_id = record_job(scope.session, MARK_AREA, unit_id=world.beta.area_x, mark="!")
        scope.session.commit()
    with live_db.session() as s:
        entry = s.get(OutboxEntry, entry_id)
    assert (entry.tenant_id, entry.queue, entry.job_name, entry.args) == (
        world.beta.tenant_id,
        "default",
        MARK_AREA,
        {"unit_id": world.beta.area_x, "mark": "!"},
    )


def test_a_dedupe_key_is_unique_until_the_job_is_done(world, live_db):
    with live_db.session() as s:
        first = record_job(
            s, MARK_AREA, tenant_id=world.alpha.tenant_id, unit_id=1, dedupe_key="reminder:case:42"
        )
        second = record_job(
            s, MARK_AREA, tenant_id=world.alpha.tenant_id, unit_id=1, dedupe_key="reminder:case:42"
        )
        s.commit()
    assert first is not None and second is None
    assert _count(live_db) == 1

    with live_db.session() as s:
        s.execute(update(OutboxEntry).values(done_at=utcnow()))
        third = record_job(
            s, MARK_AREA, tenant_id=world.alpha.tenant_id, unit_id=1, dedupe_key="reminder:case:42"
        )
        s.commit()
    assert third is not None and third != first
    with live_db.session() as s:
        assert outbox_counts(s) == {"pending": 1, "enqueued": 0, "failing": 0}
