"""Who is acting and in which request or job, for the audit log and events, without passing
them by hand through every call.

The page and API layers enter `acting(principal, request_id)` once a user is known; jobs and
commands enter it with their own actor. `audit.record` reads it when no actor is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Acting:
    #: The user's id, None for the platform itself.
    actor_id: int | None
    #: Readable actor: username, "system", "cli", "public".
    actor_label: str
    request_id: str | None = None


SYSTEM = Acting(None, "system")

_current: ContextVar[Acting | None] = ContextVar("giamsat_acting", default=None)
_request_id: ContextVar[str | None] = ContextVar("giamsat_request_id", default=None)


def current_acting() -> Acting:
    """The actor in force: the entered one, else the platform (with the request's id)."""
    return _current.get() or Acting(None, "system", _request_id.get())


def current_request_id() -> str | None:
    acting = _current.get()
    return acting.request_id if acting and acting.request_id else _request_id.get()


@contextmanager
def acting(actor: Any, request_id: str | None = None) -> Iterator[Acting]:
    """Act as `actor` (anything with `user_id` and `actor_label`, e.g. a Principal)."""
    entered = Acting(
        getattr(actor, "user_id", None),
        getattr(actor, "actor_label", "system"),
        request_id or current_request_id(),
    )
    token = _current.set(entered)
    try:
        yield entered
    finally:
        _current.reset(token)


def enter(actor: Any):
    """Act as `actor` until `leave(token)` (for hooks that cannot wrap the call, e.g. the API's
    before-request authentication; the app leaves at the end of the request)."""
    return _current.set(
        Acting(
            getattr(actor, "user_id", None),
            getattr(actor, "actor_label", "system"),
            current_request_id(),
        )
    )


def leave(token) -> None:
    _current.reset(token)


def set_request_id(request_id: str | None):
    """Bind the current request's id (the app does this per request); returns the reset token."""
    return _request_id.set(request_id)


def reset_request_id(token) -> None:
    _request_id.reset(token)
