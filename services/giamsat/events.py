"""Domain events: an operation says what changed; other domains react in the same transaction.

Reactions only record follow-up work (outbox jobs), so they commit or roll back with the change
itself. Listeners are found through the explicit DOMAINS list: a domain opts in with
`on_event(session, name, data)` in its package, and the emitting domain never imports it.
"""
from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy.orm import Session

from giamsat.domains import DOMAINS


def emit(session: Session, name: str, **data: Any) -> None:
    """Tell every listening domain that `name` happened (e.g. "case.forward"), with `data`
    (ORM objects and a `before` snapshot; never anything read from a reporter identity)."""
    for domain in DOMAINS:
        listener = getattr(importlib.import_module(f"giamsat.{domain}"), "on_event", None)
        if listener is not None:
            listener(session, name, data)
