"""Failed jobs for platform operators: list them across queues, put them back on their queue."""

from __future__ import annotations

from dataclasses import dataclass

from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from giamsat.core.db import Database
from giamsat.core.logging import redact_text
from giamsat.core.queue import Queues
from giamsat.tenancy.models import Tenant


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    job_name: str
    tenant: str
    error: str


def _error_summary(job: Job) -> str:
    result = job.latest_result()
    text = (result.exc_string if result is not None else None) or ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return redact_text(lines[-1].strip())[:200] if lines else ""


def list_failed(queues: Queues, db: Database | None = None) -> list[FailedJob]:
    """Every job in the failed registries, oldest first per queue, tenant shown by slug."""
    found: list[tuple[str, Job]] = []
    for queue in queues.all():
        registry = FailedJobRegistry(queue=queue)
        ids = registry.get_job_ids()
        for job in Job.fetch_many(ids, connection=queues.connection):
            if job is not None:
                found.append((queues.short_name(queue.name), job))
    slugs: dict[int, str] = {}
    tenant_ids = {job.kwargs.get("tenant_id") for _, job in found} - {None}
    if db is not None and tenant_ids:
        with db.session() as session:
            slugs = dict(
                session.execute(
                    select(Tenant.id, Tenant.slug).where(Tenant.id.in_(tenant_ids))
                ).all()
            )
    result = []
    for queue_name, job in found:
        tenant_id = job.kwargs.get("tenant_id")
        tenant = slugs.get(tenant_id, str(tenant_id)) if tenant_id is not None else "-"
        result.append(
            FailedJob(
                id=job.id,
                queue=queue_name,
                job_name=job.func_name or "?",
                tenant=tenant,
                error=_error_summary(job),
            )
        )
    return result


class NotFailed(LookupError):
    pass


def retry_failed(queues: Queues, job_id: str | None = None) -> list[str]:
    """Requeue one failed job (by id) or, with no id, every failed job; returns their ids."""
    retried = []
    for queue in queues.all():
        registry = FailedJobRegistry(queue=queue)
        for failed_id in registry.get_job_ids():
            if job_id is None or failed_id == job_id:
                registry.requeue(failed_id)
                retried.append(failed_id)
    if job_id is not None and not retried:
        raise NotFailed(f"no failed job with id {job_id}")
    return retried
