"""Fixed-window rate limits of the public pages, counted in Redis.

Limits are tenant rules (`units.queries.get_rule`) with the defaults below. When Redis cannot
be reached the two kinds of request fail differently, on purpose:
- a submission is let through (a citizen's report must never be lost to an outage), with a
  warning in the log;
- a receipt lookup is refused: without a counter nothing would stop guessing codes.

Client addresses are hashed before they become part of a key, so Redis holds no list of who
wrote to the committee. The address is `request.remote_addr`: behind a reverse proxy the
deployer must install werkzeug's ProxyFix (with the right number of proxies), or every
sender shares the proxy's address.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    #: Tenant rule holding the number of requests allowed per window.
    rule_key: str
    default: int
    window_seconds: int
    #: Whether to let requests through when the counter is unavailable.
    fail_open: bool


SUBMIT_PER_ADDRESS = Limit(
    "submit-address", "public_submissions_per_address_per_hour", 5, 3600, fail_open=True
)
SUBMIT_PER_UNIT = Limit(
    "submit-unit", "public_submissions_per_unit_per_hour", 50, 3600, fail_open=True
)
LOOKUP_PER_ADDRESS = Limit(
    "lookup-address", "receipt_lookups_per_address_per_10_minutes", 10, 600, fail_open=False
)

LIMITS = (SUBMIT_PER_ADDRESS, SUBMIT_PER_UNIT, LOOKUP_PER_ADDRESS)


def address_subject(address: str | None) -> str:
    """A stand-in for a client address inside Redis keys (not reversible at a glance)."""
    return hashlib.sha256((address or "unknown").encode()).hexdigest()[:24]


class LimiterUnavailable(Exception):
    """The counter of a fail-closed limit could not be reached: refuse the request."""


class RateLimiter:
    """Counts requests per (tenant, limit, subject) in windows of fixed length."""

    def __init__(self, redis: Redis, prefix: str = ""):
        self.redis = redis
        self.prefix = prefix

    def key(self, tenant_slug: str, limit: Limit, subject: str, now: float) -> str:
        window = int(now // limit.window_seconds)
        return f"{self.prefix}ratelimit:{tenant_slug}:{limit.name}:{subject}:{window}"

    def hit(
        self, tenant_slug: str, limit: Limit, subject: str, allowed: int, now: float | None = None
    ) -> bool:
        """Count one request; False when it is over `allowed` in the current window.

        Raises LimiterUnavailable for a fail-closed limit when Redis is unreachable."""
        key = self.key(tenant_slug, limit, subject, time.time() if now is None else now)
        try:
            pipe = self.redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, limit.window_seconds + 60)
            count, _ = pipe.execute()
        except RedisError:
            if limit.fail_open:
                log.warning("rate limiter unavailable, %s allowed unchecked", limit.name)
                return True
            log.warning("rate limiter unavailable, %s refused", limit.name)
            raise LimiterUnavailable(limit.name) from None
        return int(count) <= allowed
