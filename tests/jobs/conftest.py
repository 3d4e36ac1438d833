"""Fixtures of the job-runtime tests only; the live database, queues, runtime and burst worker
they share with other folders are in `tests.plugins.jobs`."""

from __future__ import annotations

import dataclasses

import pytest

from giamsat.core.queue import Queues, redis_connection
from tests.plugins.jobs import DEAD_REDIS_URL


@pytest.fixture()
def dead_redis_runtime(runtime):
    """The same runtime, but its queues point at a closed port."""
    return dataclasses.replace(
        runtime, queues=Queues(redis_connection(DEAD_REDIS_URL), runtime.queues.prefix)
    )
