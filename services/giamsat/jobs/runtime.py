"""The job runtime of a process: settings, database and queues that jobs and the relay use.

Web, worker and scheduler processes each install one at start; a job running in a worker that
installed none builds it from the environment (GIAMSAT_* variables), as the app would.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from flask import current_app, has_app_context

from giamsat.core import clock
from giamsat.core.config import Settings
from giamsat.core.db import Database, make_engine
from giamsat.core.queue import Queues, redis_connection


@dataclass
class JobRuntime:
    settings: Settings
    database: Database
    #: Queues on a fast-failing connection, for enqueueing (relay, `jobs retry`).
    queues: Queues
    #: The Flask app whose context jobs run in (translations, URL building), if the process has one.
    app: Any = None
    _pid: int = field(default_factory=os.getpid, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        database: Database | None = None,
        *,
        queue_prefix: str | None = None,
        app: Any = None,
    ) -> JobRuntime:
        clock.set_zone(settings.time_zone)  # the process's calendar (app, worker, scheduler)
        if queue_prefix is None:
            # `Settings.queue_prefix` (GIAMSAT_QUEUE_PREFIX) once the setting exists.
            queue_prefix = getattr(settings, "queue_prefix", "")
        database = database or Database(make_engine(settings.database_url, settings.db_pool_size))
        queues = Queues(redis_connection(settings.redis_url), prefix=queue_prefix)
        return cls(settings=settings, database=database, queues=queues, app=app)

    def after_fork(self) -> None:
        """In a forked job process: drop the parent's pooled connections without closing them
        (they belong to the parent), so the child opens its own."""
        if self._pid != os.getpid():
            self.database.engine.dispose(close=False)
            self._pid = os.getpid()


#: Where an app keeps its runtime (`app.extensions[APP_EXTENSION]`).
APP_EXTENSION = "giamsat"
_installed: JobRuntime | None = None


def install_runtime(runtime: JobRuntime | None) -> JobRuntime | None:
    """Make `runtime` the process's runtime; returns the previous one (tests restore it)."""
    global _installed
    previous, _installed = _installed, runtime
    return previous


@overload
def current_runtime() -> JobRuntime: ...
@overload
def current_runtime(*, build: Literal[True]) -> JobRuntime: ...
@overload
def current_runtime(*, build: Literal[False]) -> JobRuntime | None: ...
def current_runtime(*, build: bool = True) -> JobRuntime | None:
    """The one way to the process's database, queues and settings: the installed runtime (the
    app, worker or scheduler installs its own at start; a job keeps its worker's even inside the
    app context it pushes), else the current app's, else (unless `build=False`) one built from
    the environment."""
    global _installed
    if _installed is None and has_app_context():
        runtime = current_app.extensions.get(APP_EXTENSION)
        if runtime is not None:
            return runtime
    if _installed is None:
        if not build:
            return None
        settings = Settings.from_env()
        settings.validate()
        _installed = JobRuntime.from_settings(settings)
    _installed.after_fork()
    return _installed
