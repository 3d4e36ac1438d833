"""Shared start-up of the job processes: logging, settings, job runtime."""

from __future__ import annotations

from giamsat.core.config import Settings
from giamsat.core.logging import configure_logging


def start_runtime(*, with_app: bool = False, json_logs: bool = True):
    """Configure logs, read settings, build and install the job runtime (with the Flask app
    when jobs need its context)."""
    from giamsat.jobs.runtime import JobRuntime, install_runtime

    configure_logging(json=json_logs)
    settings = Settings.from_env()
    settings.validate()
    runtime = JobRuntime.from_settings(settings)
    if with_app:
        from giamsat.app import create_app

        runtime.app = create_app(settings=settings, database=runtime.database)
    install_runtime(runtime)
    return runtime
