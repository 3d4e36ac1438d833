"""Waiting for PostgreSQL and Redis at start, instead of exiting while they come up.

Worker and scheduler start beside the database in a deployment (compose, Kubernetes), often
before it answers. They wait with a growing pause (0.5 s doubling up to 10 s), logging what they
wait for and why, and go on as soon as both answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from redis import Redis
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from giamsat.core.logging import error_summary

log = logging.getLogger(__name__)

FIRST_PAUSE = 0.5
LONGEST_PAUSE = 10.0


def postgresql_answers(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def redis_answers(connection: Redis) -> None:
    connection.ping()


def wait_for(
    name: str,
    check: Callable[[], None],
    *,
    stopping: threading.Event | None = None,
    first_pause: float = FIRST_PAUSE,
    longest_pause: float = LONGEST_PAUSE,
) -> bool:
    """Call `check` until it returns without raising; False if `stopping` was set first."""
    pause, attempt, since = first_pause, 0, time.monotonic()
    while True:
        attempt += 1
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure means "not there yet"
            log.warning(
                "waiting for %s (attempt %d, next in %.1f s): %s",
                name,
                attempt,
                pause,
                error_summary(error).splitlines()[0],
            )
        else:
            if attempt > 1:
                log.info("%s answers after %.1f s", name, time.monotonic() - since)
            return True
        if stopping is not None:
            if stopping.wait(pause):
                return False
        else:
            time.sleep(pause)
        pause = min(pause * 2, longest_pause)


def wait_for_dependencies(
    engine: Engine, redis: Redis, *, stopping: threading.Event | None = None
) -> bool:
    """PostgreSQL first (schedules and jobs read it), then Redis; False if told to stop."""
    where = make_url(engine.url).render_as_string(hide_password=True)
    return wait_for(
        f"PostgreSQL ({where})", lambda: postgresql_answers(engine), stopping=stopping
    ) and wait_for("Redis", lambda: redis_answers(redis), stopping=stopping)
