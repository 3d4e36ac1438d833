"""Every declared schedule: the job runtime's own and each domain's `periodic_jobs`."""

from __future__ import annotations

from giamsat import domains
from giamsat.jobs import maintenance
from giamsat.jobs.schedules import PeriodicJob


def declared_schedules() -> list[PeriodicJob]:
    return list(maintenance.periodic_jobs()) + domains.periodic_jobs()
