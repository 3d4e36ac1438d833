"""The worker process: an RQ worker on some of the queues, with the job runtime installed."""

from __future__ import annotations

from rq import Worker

from giamsat.core.queue import QUEUE_NAMES, Queues, redis_connection, validate_queue
from giamsat.jobs.abandoned import HEARTBEAT_SECONDS
from giamsat.jobs.runtime import JobRuntime, install_runtime


def run_worker(
    runtime: JobRuntime,
    queue_names: tuple[str, ...] = QUEUE_NAMES,
    *,
    burst: bool = False,
    worker_class: type[Worker] = Worker,
    logging_level: str = "INFO",
) -> bool:
    """Work the queues until stopped (or empty, with `burst`). Returns whether any job ran.

    The default RQ Worker forks a child per job; the runtime drops inherited database
    connections in the child. `with_scheduler` moves retries (10 s, 1 min, 5 min) back onto
    their queue when due; RQ lets only one worker per queue do that at a time.
    """
    names = tuple(validate_queue(n) for n in queue_names) or QUEUE_NAMES
    install_runtime(runtime)
    connection = redis_connection(runtime.settings.redis_url, blocking=True)
    queues = Queues(connection, prefix=runtime.queues.prefix).all(names)
    # Beat every few seconds while a job runs: the scheduler re-runs a silent one
    # (`jobs.abandoned`) within seconds instead of RQ's minutes.
    worker = worker_class(queues, connection=connection, job_monitoring_interval=HEARTBEAT_SECONDS)
    return worker.work(burst=burst, with_scheduler=True, logging_level=logging_level)
