"""`@tenant_job` and `@platform_job`: what RQ runs — context restored, one transaction, once.

    @tenant_job(queue="aggregation")
    def reaggregate(session, tenant, *, period_id):
        ...                      # flush only; the decorator commits

    record_job(session, "giamsat.reports.jobs.reaggregate", period_id=7)   # in the handler

RQ calls the decorated function with `tenant_id`, the plain ids, and `_outbox_id` when it came
through the outbox. The wrapper looks the tenant up in the registry (suspended or gone: skip,
logged), enters `tenant_context`, marks the outbox row done in the same transaction as the
job's writes (so a duplicate delivery skips), and commits once; on error it rolls back, counts
the attempt and re-raises for RQ's retry with backoff.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from rq import get_current_job
from sqlalchemy.orm import Session

from giamsat.core.logging import error_summary, log_context
from giamsat.core.queue import validate_queue
from giamsat.jobs.outbox import claim_run, mark_skipped, record_failure
from giamsat.jobs.runtime import JobRuntime, current_runtime
from giamsat.jobs.spec import SPEC_ATTR, JobSpec
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant

log = logging.getLogger(__name__)

#: Returned (and stored by RQ as the result) when the body did not run.
SKIPPED = "skipped"
DUPLICATE = "duplicate"


def tenant_job(queue: str = "default") -> Callable:
    """Declare `fn(session, tenant: TenantScope, **ids)` as a job that runs inside one tenant."""
    validate_queue(queue)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        spec = JobSpec(name=f"{fn.__module__}.{fn.__qualname__}", queue=queue, per_tenant=True)

        @functools.wraps(fn)
        def run(tenant_id: int, _outbox_id: int | None = None, **ids: Any) -> Any:
            runtime = current_runtime()
            with log_context(job_id=_current_job_id(), job=spec.name):
                tenant = _active_tenant(runtime, tenant_id, _outbox_id)
                if tenant is None:
                    return SKIPPED
                with (
                    log_context(tenant=tenant.slug),
                    _app_context(runtime),
                    tenant_context(runtime.database, tenant) as scope,
                ):
                    return _run_once(
                        runtime, scope.session, _outbox_id, lambda: fn(scope.session, scope, **ids)
                    )

        setattr(run, SPEC_ATTR, spec)
        return run

    return decorate


def platform_job(queue: str = "default") -> Callable:
    """Declare `fn(session, **ids)` as a job on the shared schema (no tenant): maintenance."""
    validate_queue(queue)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        spec = JobSpec(name=f"{fn.__module__}.{fn.__qualname__}", queue=queue, per_tenant=False)

        @functools.wraps(fn)
        def run(_outbox_id: int | None = None, **ids: Any) -> Any:
            runtime = current_runtime()
            with (
                log_context(job_id=_current_job_id(), job=spec.name),
                _app_context(runtime),
                runtime.database.session() as session,
            ):
                return _run_once(runtime, session, _outbox_id, lambda: fn(session, **ids))

        setattr(run, SPEC_ATTR, spec)
        return run

    return decorate


def _current_job_id() -> str | None:
    job = get_current_job()
    return job.id if job is not None else None


def _app_context(runtime: JobRuntime):
    return runtime.app.app_context() if runtime.app is not None else nullcontext()


def _active_tenant(runtime: JobRuntime, tenant_id: int, outbox_id: int | None) -> Tenant | None:
    with runtime.database.session() as shared:
        tenant = shared.get(Tenant, tenant_id)
    if tenant is not None and tenant.is_active:
        return tenant
    reason = "tenant suspended" if tenant is not None else "tenant not found"
    with log_context(tenant=getattr(tenant, "slug", None)):
        log.warning("job skipped: %s (tenant id %s)", reason, tenant_id)
    if outbox_id is not None:
        mark_skipped(runtime.database, outbox_id, reason)
    return None


def _run_once(
    runtime: JobRuntime, session: Session, outbox_id: int | None, body: Callable[[], Any]
) -> Any:
    """One transaction: claim the outbox row, run the body, commit — or roll all of it back."""
    started = time.monotonic()
    try:
        if outbox_id is not None and not claim_run(session, outbox_id):
            session.rollback()
            log.info("job already done (outbox %s): duplicate delivery skipped", outbox_id)
            return DUPLICATE
        result = body()
        session.commit()
    except Exception as error:
        session.rollback()
        log.exception("job failed: %s", error_summary(error))
        if outbox_id is not None:
            try:
                record_failure(runtime.database, outbox_id, error)
            except Exception:  # the database may be what failed; RQ still gets the real error
                log.warning(
                    "could not record the failure on outbox row %s", outbox_id, exc_info=True
                )
        raise
    log.info("job done in %d ms", (time.monotonic() - started) * 1000)
    return result
