"""Sign-in throttling, counted in Redis: per account and per address, growing delays, a
time-limited lock.

- Per account (the typed username, existing or not, so nobody learns who exists): from the
  3rd failure in 15 minutes the next try must wait 1, 2, 4… seconds (at most a minute); the
  10th failure locks the account for 15 minutes. A lock always ends by itself, and an admin
  can lift it sooner (`unlock`): nobody can lock an admin out for good.
- Per address, separately: from the 20th failure in 15 minutes that address waits 1, 2, 4…
  seconds (at most 5 minutes), whichever account it tries. It never locks an account.

Times are `core.clock` moments stored in the Redis hashes (keys expire only to clean up), so
a lock's end does not depend on Redis' own clock. When Redis cannot be reached, the account
lock falls back to counting the audit log's recent failures (`fallback_failures`): slower,
but a Redis outage neither opens the door to guessing nor locks everyone out.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

from giamsat.core import clock

log = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
ACCOUNT_DELAY_AFTER = 3
ACCOUNT_LOCK_AFTER = 10
ACCOUNT_MAX_DELAY = 60
ADDRESS_DELAY_AFTER = 20
ADDRESS_MAX_DELAY = 300


@dataclass(frozen=True)
class Verdict:
    """May this attempt be checked now? If not: how long to wait, and whether it is a lock."""

    wait_seconds: int = 0
    locked: bool = False
    #: The counters were unreachable (the caller falls back to the audit log).
    unavailable: bool = False

    @property
    def allowed(self) -> bool:
        return self.wait_seconds <= 0


@dataclass(frozen=True)
class Failure:
    count: int
    #: This failure locked the account (audit it once).
    locked_now: bool = False
    unavailable: bool = False


def growing_delay(failures: int, after: int, ceiling: int) -> int:
    """Seconds to wait after `failures` failures: none before `after`, then 1, 2, 4… ≤ ceiling."""
    if failures < after:
        return 0
    return min(2 ** (failures - after), ceiling)


def _subject(value: str) -> str:
    # Usernames and addresses are hashed in keys: Redis holds no list of who tried what.
    return hashlib.sha256((value or "").strip().lower().encode()).hexdigest()[:24]


class Throttle:
    def __init__(self, redis: Redis, prefix: str, tenant: str):
        self.redis, self.base = redis, f"{prefix}signin:{tenant}:"

    def _account(self, username: str) -> str:
        return self.base + "acct:" + _subject(username)

    def _address(self, address: str) -> str:
        return self.base + "addr:" + _subject(address)

    def _read(self, key: str) -> tuple[int, float, float]:
        raw = self.redis.hgetall(key)
        get = lambda name: float(raw.get(name.encode(), 0) or 0)  # noqa: E731
        return int(get("n")), get("last"), get("until")

    def check(self, username: str, address: str) -> Verdict:
        now = clock.now().timestamp()
        try:
            n, last, until = self._read(self._account(username))
            address_n, address_last, _ = self._read(self._address(address))
        except RedisError as error:
            log.warning("sign-in throttle unavailable: %s", error)
            return Verdict(unavailable=True)
        if until > now:
            return Verdict(wait_seconds=math.ceil(until - now), locked=True)
        wait = max(
            last + growing_delay(n, ACCOUNT_DELAY_AFTER, ACCOUNT_MAX_DELAY) - now,
            address_last + growing_delay(address_n, ADDRESS_DELAY_AFTER, ADDRESS_MAX_DELAY) - now,
        )
        return Verdict(wait_seconds=math.ceil(wait) if wait > 0 else 0)

    def failed(self, username: str, address: str) -> Failure:
        now = clock.now().timestamp()
        try:
            account, where = self._account(username), self._address(address)
            n, last, until = self._read(account)
            address_n, address_last, _ = self._read(where)
            # Failures older than the window are forgotten.
            n = 0 if now - last > WINDOW_SECONDS else n
            address_n = 0 if now - address_last > WINDOW_SECONDS else address_n
            n, locked_now = n + 1, False
            fields: dict[str, float] = {"n": n, "last": now}
            if n >= ACCOUNT_LOCK_AFTER and until <= now:
                fields = {"n": 0, "last": now, "until": now + LOCK_SECONDS}
                locked_now = True
            pipe = self.redis.pipeline()
            pipe.hset(account, mapping=fields)
            pipe.expire(account, WINDOW_SECONDS + LOCK_SECONDS)
            pipe.hset(where, mapping={"n": address_n + 1, "last": now})
            pipe.expire(where, WINDOW_SECONDS)
            pipe.execute()
        except RedisError as error:
            log.warning("sign-in throttle unavailable: %s", error)
            return Failure(0, unavailable=True)
        return Failure(n, locked_now)

    def succeeded(self, username: str) -> None:
        """A right password clears the account's count (not the address's)."""
        try:
            account = self._account(username)
            if self._read(account)[2] <= clock.now().timestamp():
                self.redis.delete(account)
        except RedisError as error:
            log.warning("sign-in throttle unavailable: %s", error)

    def locked_for(self, username: str) -> int:
        """Seconds left of the account's lock (0: not locked; also when Redis is down)."""
        try:
            until = self._read(self._account(username))[2]
        except RedisError:
            return 0
        return max(0, int(until - clock.now().timestamp()))

    def unlock(self, username: str) -> bool:
        """Lift the account's lock and forget its failures; whether Redis took it."""
        try:
            self.redis.delete(self._account(username))
        except RedisError as error:
            log.warning("sign-in throttle unavailable: %s", error)
            return False
        return True


def current_throttle() -> Throttle:
    """The throttle of the current tenant, on the process's fail-fast Redis client."""
    from flask import g

    from giamsat.jobs.runtime import current_runtime

    runtime = current_runtime()
    return Throttle(runtime.queues.connection, runtime.queues.prefix, g.tenant.slug)
