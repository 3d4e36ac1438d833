"""Domain events: an operation says what changed; other domains react in the same transaction.

Each event is a class in the emitting domain's `events.py`; a listening domain names the class
in its declaration (`Domain.listeners`), so renaming an event breaks an import instead of
silently dropping the reaction. Reactions only record follow-up work (outbox jobs), so they
commit or roll back with the change itself. The table of listeners is filled once by
`giamsat.domains.install()` (app, worker, commands and tests alike), so an operation behaves
the same inside a request and outside one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Event:
    """Base of every domain event; subclasses are frozen dataclasses of the changed objects
    (ORM objects, a `before` snapshot; never anything read from a reporter identity)."""


E = TypeVar("E", bound=Event)
Listener = Callable[[Session, Any], None]

_listeners: dict[type[Event], list[Listener]] = {}


def subscribe(event_type: type[E], listener: Callable[[Session, E], None]) -> None:
    """Call `listener(session, event)` for every emitted `event_type` (or a subclass)."""
    if not (isinstance(event_type, type) and issubclass(event_type, Event)):
        raise TypeError(f"{event_type!r} is not an Event class")
    bucket = _listeners.setdefault(event_type, [])
    if listener not in bucket:
        bucket.append(listener)


def clear() -> None:
    _listeners.clear()


def emit(session: Session, event: Event) -> None:
    """Tell every listener of the event's class (and of its bases) that it happened."""
    for event_type in type(event).__mro__:
        for listener in _listeners.get(event_type, ()):
            listener(session, event)
