"""One sign-in attempt: throttle first, then the password, every failure in the audit log.

The audit log is also the fallback counter when Redis is down (see `throttle`): the account
is treated as locked once it has `ACCOUNT_LOCK_AFTER` failures in the window since its last
unlock or successful sign-in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.accounts import operations
from giamsat.accounts.models import User
from giamsat.accounts.throttle import (
    ACCOUNT_LOCK_AFTER,
    LOCK_SECONDS,
    WINDOW_SECONDS,
    Throttle,
)
from giamsat.core import audit, clock
from giamsat.core.audit import AuditEntry
from giamsat.identity import Actor

#: Audit object of sign-in attempts: the typed username (existing or not).
OBJECT_TYPE = "sign_in"
ANONYMOUS = Actor(None, "anonymous")


@dataclass(frozen=True)
class Attempt:
    user: User | None = None
    #: Seconds to wait before the next try (0: the password was checked).
    wait_seconds: int = 0
    locked: bool = False


def _name(username: str) -> str:
    return (username or "").strip().lower()[:60]


def record_failure(
    session: Session, throttle: Throttle, username: str, address: str, *, step: str
) -> None:
    """Count a wrong password or code, audit it (and the lock it causes, once)."""
    name = _name(username)
    failure = throttle.failed(name, address)
    audit.record(
        session,
        ANONYMOUS,
        action="login_failed",
        object_type=OBJECT_TYPE,
        object_id=name,
        changes={"address": [None, address], "step": [None, step]},
    )
    if failure.locked_now:
        audit.record(
            session,
            ANONYMOUS,
            action="lock",
            object_type=OBJECT_TYPE,
            object_id=name,
            changes={"address": [None, address], "minutes": [None, LOCK_SECONDS // 60]},
        )


def fallback_failures(session: Session, username: str) -> int:
    """Recent failures of an account per the audit log, since its last unlock or sign-in."""
    name = _name(username)
    since = clock.now() - dt.timedelta(seconds=WINDOW_SECONDS)
    last_reset = select(func.coalesce(func.max(AuditEntry.id), 0)).where(
        AuditEntry.object_type == OBJECT_TYPE,
        AuditEntry.object_id == name,
        AuditEntry.action.in_(("unlock", "login")),
    )
    return (
        session.scalar(
            select(func.count()).where(
                AuditEntry.object_type == OBJECT_TYPE,
                AuditEntry.object_id == name,
                AuditEntry.action == "login_failed",
                AuditEntry.at >= since,
                AuditEntry.id > last_reset.scalar_subquery(),
            )
        )
        or 0
    )


def attempt(
    session: Session, throttle: Throttle, username: str, password: str, address: str
) -> Attempt:
    """Check a username and password unless the throttle says wait; failures are recorded."""
    name = _name(username)
    verdict = throttle.check(name, address)
    if verdict.unavailable and fallback_failures(session, name) >= ACCOUNT_LOCK_AFTER:
        return Attempt(wait_seconds=LOCK_SECONDS, locked=True)
    if not verdict.allowed:
        return Attempt(wait_seconds=verdict.wait_seconds, locked=verdict.locked)
    user = operations.authenticate(session, name, password)
    if user is None:
        record_failure(session, throttle, name, address, step="password")
        return Attempt()
    return Attempt(user=user)


def succeeded(session: Session, throttle: Throttle, user: User, address: str) -> None:
    """The whole sign-in (password and, if any, second factor) went through."""
    throttle.succeeded(user.username)
    audit.record(
        session,
        Actor.of_user(user),
        action="login",
        object_type=OBJECT_TYPE,
        object_id=_name(user.username),
        changes={"address": [None, address]},
    )


def unlock(session: Session, principal, throttle: Throttle, user: User) -> None:
    """An admin lifts the lock of a user's account (and forgets its failures)."""
    throttle.unlock(user.username)
    audit.record(
        session,
        principal,
        action="unlock",
        object_type=OBJECT_TYPE,
        object_id=_name(user.username),
    )


def recent_sign_ins(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The sign-in log for admins: failures, locks, unlocks and sign-ins, newest first."""
    stmt = select(AuditEntry).where(AuditEntry.object_type == OBJECT_TYPE)
    return list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit)))
