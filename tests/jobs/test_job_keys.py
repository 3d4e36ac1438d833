"""Job ids stay unique when row ids repeat: after a restore into a new database, or with two
deployments on one Redis prefix, a row never meets a job RQ still holds for another row."""

from __future__ import annotations

from rq.job import Job
from sqlalchemy import delete, text

from giamsat.jobs.models import OutboxEntry
from giamsat.jobs.outbox import record_job
from giamsat.jobs.relay import relay_pending
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins import sample_jobs
from tests.plugins.jobs import job_name

MARK_AREA = job_name(sample_jobs.mark_area)


def _record(db, tw) -> OutboxEntry:
    with db.session() as s:
        tenant = s.get(Tenant, tw.tenant_id)
    with tenant_context(db, tenant) as scope:
        entry_id = record_job(scope.session, MARK_AREA, unit_id=tw.area_x)
        scope.session.commit()
    with db.session() as s:
        return s.get(OutboxEntry, entry_id)


def test_a_finished_job_of_a_previous_database_does_not_stop_the_new_row(
    world, live_db, runtime, work_burst
):
    old = _record(live_db, world.alpha)  # relayed to RQ right after its commit
    assert old.enqueued_at is not None
    assert work_burst()
    finished = Job.fetch(runtime.queues.job_id(old.rq_key), connection=runtime.queues.connection)
    assert finished.get_status() == "finished"

    # "A new database": the row is gone and the id sequence starts again at the same number,
    # while Redis (same prefix) still keeps the finished job of the old row.
    with live_db.session() as s:
        s.execute(delete(OutboxEntry))
        s.execute(text("SELECT setval('shared.outbox_id_seq', :id, false)"), {"id": old.id})
        s.commit()
    new = _record(live_db, world.alpha)
    assert new.id == old.id and new.job_key != old.job_key
    assert new.rq_key == f"outbox-{new.id}-{new.job_key}"

    assert relay_pending(live_db, runtime.queues) == 0  # handed over after its commit too
    with live_db.session() as s:
        assert s.get(OutboxEntry, new.id).enqueued_at is not None
    assert work_burst()
    assert sample_jobs.CALLS == [("alpha", world.alpha.area_x)] * 2
    with live_db.session() as s:
        assert s.get(OutboxEntry, new.id).done_at is not None


def test_every_row_draws_its_own_key(world, live_db, no_job_runtime):
    keys = {_record(live_db, world.beta).job_key for _ in range(5)}
    assert len(keys) == 5
    assert all(len(key) == 16 and int(key, 16) >= 0 for key in keys)
