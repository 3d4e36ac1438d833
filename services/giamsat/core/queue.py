"""Redis connections and the RQ queues, named by workload."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass

from redis import Redis
from rq import Queue
from rq.job import Retry

#: Queues by workload; a worker group in production serves one or more of them.
QUEUE_NAMES = ("aggregation", "notifications", "ocr", "default")

#: Seconds a job may run before the worker kills it, per queue (roll-ups and OCR are slow).
QUEUE_TIMEOUTS = {"aggregation": 1800, "notifications": 120, "ocr": 600, "default": 600}

#: Every job is retried 3 times, after 10 s, 1 min and 5 min, before it lands in the failed list.
RETRY_INTERVALS = (10, 60, 300)

#: How long a failed job stays listed for operators (`giamsat jobs failed`): 30 days.
FAILURE_TTL = 30 * 24 * 3600


class UnknownQueue(ValueError):
    pass


def validate_queue(name: str) -> str:
    if name not in QUEUE_NAMES:
        raise UnknownQueue(f"unknown queue {name!r}; queues are {', '.join(QUEUE_NAMES)}")
    return name


#: TCP keepalive for clients without a read timeout: probe after 30 s idle, every 10 s, give
#: up after 3 misses (Linux options; elsewhere the system's defaults apply).
KEEPALIVE_OPTIONS = {
    getattr(socket, name): value
    for name, value in (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3))
    if hasattr(socket, name)
}


def redis_connection(url: str, *, blocking: bool = False) -> Redis:
    """A Redis client. Web and relay clients fail fast so a Redis outage never stalls a request;
    a worker's client blocks on dequeue for minutes, so it gets no read timeout.

    `health_check_interval` only PINGs before a command on a connection idle that long; it does
    not notice a server that vanished *during* a blocking dequeue (a half-open TCP connection,
    e.g. after a failover). TCP keepalive does, within about a minute, and the worker then
    reconnects (RQ retries a lost connection with backoff)."""
    return Redis.from_url(
        url,
        socket_connect_timeout=2,
        socket_timeout=None if blocking else 5,
        socket_keepalive=True,
        socket_keepalive_options=KEEPALIVE_OPTIONS,
        health_check_interval=30 if blocking else 0,
    )


def default_retry() -> Retry:
    return Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS))


@dataclass(frozen=True)
class Queues:
    """The four queues on one Redis connection.

    `prefix` namespaces queue names and job ids, so several deployments (or test runs) can share
    one Redis without seeing each other's jobs.
    """

    connection: Redis
    prefix: str = ""

    def __post_init__(self) -> None:
        # The prefix is part of RQ job ids, which allow only these characters.
        if not re.fullmatch(r"[A-Za-z0-9_-]{0,40}", self.prefix):
            raise ValueError(
                f"queue prefix may hold letters, digits, _ and - only: {self.prefix!r}"
            )

    def name(self, queue: str) -> str:
        return self.prefix + validate_queue(queue)

    def get(self, queue: str) -> Queue:
        return Queue(
            self.name(queue), connection=self.connection, default_timeout=QUEUE_TIMEOUTS[queue]
        )

    def all(self, names: tuple[str, ...] | list[str] | None = None) -> list[Queue]:
        return [self.get(n) for n in (names or QUEUE_NAMES)]

    def job_id(self, key: str) -> str:
        return self.prefix + key

    def short_name(self, rq_queue_name: str) -> str:
        """The workload name of an RQ queue name ("default" for "<prefix>default")."""
        return rq_queue_name.removeprefix(self.prefix)
