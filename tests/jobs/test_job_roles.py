"""A worker runs a tenant's job as that tenant's database role: the wall holds in jobs too."""

from __future__ import annotations

from sqlalchemy import text

from giamsat.jobs.outbox import record_job
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins import sample_jobs
from tests.plugins.jobs import job_name

LOOK_ACROSS = job_name(sample_jobs.look_across)


def test_a_tenant_job_runs_as_its_role_and_cannot_read_the_other_tenant(
    world, live_db, runtime, work_burst
):
    sample_jobs.WALL.clear()
    with live_db.session() as shared:
        alpha = shared.get(Tenant, world.alpha.tenant_id)
    with tenant_context(live_db, alpha) as scope:
        record_job(scope.session, LOOK_ACROSS, other_schema=world.beta.schema)
        scope.session.commit()
    work_burst()
    [(slug, user, error)] = sample_jobs.WALL
    assert (slug, user) == ("alpha", alpha.db_role)
    assert "permission denied for schema t_beta" in error
    with live_db.session() as shared:
        done = shared.scalar(
            text("SELECT done_at IS NOT NULL FROM shared.outbox WHERE job_name = :n"),
            {"n": LOOK_ACROSS},
        )
    # Marked done in the job's own transaction, through row-level security on the outbox.
    assert done is True
