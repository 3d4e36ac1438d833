"""`giamsat jobs …`: failed jobs and the outbox, for platform operators."""

from __future__ import annotations

import click


@click.group(help="Background jobs: failed jobs, retries, outbox status (platform operators).")
def jobs() -> None:
    pass


def _runtime():
    from giamsat.commands._runtime import start_runtime
    from giamsat.jobs.runtime import current_runtime

    return current_runtime(build=False) or start_runtime(json_logs=False)


@jobs.command("failed", help="List failed jobs of every queue: id, queue, job, tenant, error.")
def jobs_failed() -> None:
    from giamsat.jobs.failed import list_failed

    runtime = _runtime()
    failed = list_failed(runtime.queues, runtime.database)
    if not failed:
        click.echo("No failed jobs.")
        return
    for job in failed:
        click.echo(f"{job.id}\t{job.queue}\t{job.job_name}\t{job.tenant}\t{job.error}")
    click.echo(f"{len(failed)} failed job(s).")


@jobs.command("retry", help="Put one failed job (JOB_ID) or all of them (--all) back on its queue.")
@click.argument("job_id", required=False)
@click.option("--all", "retry_all", is_flag=True, help="Retry every failed job.")
def jobs_retry(job_id: str | None, retry_all: bool) -> None:
    from giamsat.jobs.failed import NotFailed, retry_failed

    if bool(job_id) == retry_all:
        raise click.UsageError("give either JOB_ID or --all")
    runtime = _runtime()
    try:
        retried = retry_failed(runtime.queues, None if retry_all else job_id)
    except NotFailed:
        raise click.ClickException(f"no failed job with id {job_id}") from None
    click.echo(f"{len(retried)} job(s) requeued.")


@jobs.command("status", help="Outbox rows by state and jobs waiting in each queue.")
def jobs_status() -> None:
    from giamsat.jobs.outbox import outbox_counts

    runtime = _runtime()
    with runtime.database.session() as session:
        counts = outbox_counts(session)
    click.echo(
        f"outbox: {counts['pending']} pending, {counts['enqueued']} enqueued, "
        f"{counts['failing']} failing"
    )
    for queue in runtime.queues.all():
        click.echo(f"{runtime.queues.short_name(queue.name)}: {queue.count} waiting")
