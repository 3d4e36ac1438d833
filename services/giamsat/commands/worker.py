"""`giamsat worker [QUEUE…]`: run background jobs."""

from __future__ import annotations

import click

from giamsat.core.queue import QUEUE_NAMES


@click.command(
    help="Run background jobs (RQ worker) on the given queues; default all of "
    f"{', '.join(QUEUE_NAMES)}."
)
@click.argument("queues", nargs=-1, type=click.Choice(QUEUE_NAMES))
@click.option("--burst", is_flag=True, help="Run the waiting jobs, then exit.")
@click.option("--text-logs", is_flag=True, help="Plain-text logs instead of JSON (development).")
def worker(queues: tuple[str, ...], burst: bool, text_logs: bool) -> None:
    from giamsat.commands._runtime import start_runtime
    from giamsat.worker.dependencies import wait_for_dependencies
    from giamsat.worker.process import run_worker

    runtime = start_runtime(with_app=True, json_logs=not text_logs)
    wait_for_dependencies(runtime.database.engine, runtime.queues.connection)
    run_worker(runtime, queues or QUEUE_NAMES, burst=burst)
