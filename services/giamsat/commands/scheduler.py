"""`giamsat scheduler`: start periodic work and relay the outbox to the queues."""

from __future__ import annotations

import click


@click.command(
    help="Start due periodic work and relay the outbox to the queues, every few "
    "seconds; stops cleanly on SIGTERM/SIGINT. Safe to run twice."
)
@click.option("--every", default=5.0, show_default=True, help="Seconds between passes.")
@click.option("--once", is_flag=True, help="Run one pass, then exit.")
@click.option("--text-logs", is_flag=True, help="Plain-text logs instead of JSON (development).")
def scheduler(every: float, once: bool, text_logs: bool) -> None:
    from giamsat.commands._runtime import start_runtime
    from giamsat.jobs.schedules import sync_schedules
    from giamsat.worker.dependencies import wait_for_dependencies
    from giamsat.worker.periodic import declared_schedules
    from giamsat.worker.scheduler import Scheduler

    runtime = start_runtime(json_logs=not text_logs)
    loop = Scheduler(runtime, every=every)
    loop.install_signal_handlers()  # Ctrl-C / SIGTERM end the wait for dependencies too
    if not wait_for_dependencies(
        runtime.database.engine, runtime.queues.connection, stopping=loop.stopping
    ):
        return
    with runtime.database.session() as session:
        sync_schedules(session, declared_schedules())
        session.commit()
    if once:
        click.echo(loop.tick())
        return
    loop.run()
