"""Every declared schedule: the job runtime's own and each domain's `periodic_jobs()`."""
from __future__ import annotations

import importlib

from giamsat.domains import DOMAINS
from giamsat.jobs import maintenance
from giamsat.jobs.schedules import PeriodicJob


def declared_schedules() -> list[PeriodicJob]:
    found = list(maintenance.periodic_jobs())
    for name in DOMAINS:
        module = importlib.import_module(f"giamsat.{name}")
        found.extend(getattr(module, "periodic_jobs", list)())
    return found
