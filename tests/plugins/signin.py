"""Sign-in throttle counters live in the real Redis, outside the rolled-back transaction: every
test that builds an app starts and ends with none, so one test's failures never slow another."""

from __future__ import annotations

import pytest


def clear_signin_counters(settings) -> None:
    from redis import Redis

    redis = Redis.from_url(settings.redis_url)
    try:
        keys = list(redis.scan_iter(f"{settings.queue_prefix}signin:*"))
        if keys:
            redis.delete(*keys)
    finally:
        redis.close()


@pytest.fixture(autouse=True)
def _fresh_signin_counters(request):
    if "app" not in request.fixturenames:
        yield
        return
    settings = request.getfixturevalue("settings")
    clear_signin_counters(settings)
    yield
    clear_signin_counters(settings)
