"""The scheduler process: start due schedules and relay the outbox, every few seconds."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from giamsat.core.db import is_database_outage
from giamsat.core.logging import error_summary
from giamsat.jobs.abandoned import requeue_abandoned
from giamsat.jobs.relay import relay_pending, requeue_lost
from giamsat.jobs.runtime import JobRuntime
from giamsat.jobs.schedules import run_due_schedules

log = logging.getLogger(__name__)


class Scheduler:
    """One loop, safe to run twice: schedule claims are conditional updates and the relay locks
    rows with SKIP LOCKED, so a second scheduler only shares the work."""

    def __init__(
        self,
        runtime: JobRuntime,
        *,
        every: float = 5.0,
        lost_after: dt.timedelta = dt.timedelta(minutes=15),
        lost_check_every: float = 300.0,
        relay_batch: int = 200,
    ):
        self.runtime = runtime
        self.every = every
        self.lost_after = lost_after
        self.lost_check_every = lost_check_every
        self.relay_batch = relay_batch
        self.stopping = threading.Event()
        self._next_lost_check = 0.0

    def tick(self, now: dt.datetime | None = None) -> dict[str, int]:
        """One pass; returns counts (for tests and the debug log)."""
        db, queues = self.runtime.database, self.runtime.queues
        started = run_due_schedules(db, now)
        # Before relaying: rows taken back from dead workers go out in this same pass.
        abandoned = requeue_abandoned(db, queues)
        relayed = 0
        while not self.stopping.is_set():
            batch = relay_pending(db, queues, limit=self.relay_batch)
            relayed += batch
            if batch < self.relay_batch:
                break
        lost = 0
        if time.monotonic() >= self._next_lost_check:
            lost = requeue_lost(db, queues, older_than=self.lost_after)
            self._next_lost_check = time.monotonic() + self.lost_check_every
        return {
            "schedules": len(started),
            "abandoned": abandoned,
            "relayed": relayed,
            "lost": lost,
        }

    def run(self) -> None:
        log.info("scheduler started (every %.1f s)", self.every)
        while not self.stopping.is_set():
            try:
                self.tick()
            except (RedisError, SQLAlchemyError) as error:
                if isinstance(error, RedisError) or is_database_outage(error):
                    # Briefly away: one line per pass, no traceback; the next pass tries again.
                    log.warning("scheduler pass skipped: %s", error_summary(error).splitlines()[0])
                else:
                    log.exception("scheduler pass failed")
            except Exception:
                log.exception("scheduler pass failed")
            self.stopping.wait(self.every)
        log.info("scheduler stopped")

    def stop(self, *_: object) -> None:
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM (Kubernetes, compose) and SIGINT (Ctrl-C) end the loop after the current pass."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
