"""How a domain plugs in: one declared `Domain` per domain package, listed in `giamsat.domains`.

The app, the worker and the commands read the declarations; nothing is looked up by name, so
a misspelt field is a TypeError at import, not a hook that is silently skipped. Extension
points that one domain offers others (e.g. "more text to search a case by") are `Hook`s: the
offering domain defines the hook, the others implement it in their declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from giamsat.core.events import Event
from giamsat.core.rules import RuleSpec

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, eq=False)
class Hook(Generic[F]):
    """An extension point; `implementations(hook)` lists what the installed domains gave it."""

    name: str


@dataclass(frozen=True)
class Domain:
    name: str
    #: Domains whose modules this one imports (lower in the layers); a test holds the code to it.
    depends_on: tuple[str, ...] = ()
    #: flask-smorest blueprints (mounted under /api/v1) and page blueprints.
    api_blueprints: Sequence[Any] = ()
    page_blueprints: Sequence[Any] = ()
    #: `() -> [(endpoint, label)]` for the main navigation, called when a page is drawn.
    nav_links: Callable[[], list[tuple[str, Any]]] | None = None
    #: `(session, progress)`: the domain's per-tenant seed data, idempotent.
    provision_tenant: Callable[[Any, Callable[[str], None]], None] | None = None
    #: Schedules (`jobs.schedules.PeriodicJob`) the scheduler keeps.
    periodic_jobs: Sequence[Any] = ()
    #: The tenant rules this domain owns (their keys, checks, defaults and sources).
    rules: Sequence[RuleSpec] = ()
    #: (event class, listener(session, event)) pairs.
    listeners: Sequence[tuple[type[Event], Callable[[Any, Any], None]]] = ()
    #: (hook, implementation) pairs for hooks other domains offer.
    hooks: Sequence[tuple[Hook, Callable[..., Any]]] = ()


_implementations: dict[Hook, list[Callable[..., Any]]] = {}


def provide(hook: Hook[F], implementation: F) -> None:
    bucket = _implementations.setdefault(hook, [])
    if implementation not in bucket:
        bucket.append(implementation)


def implementations(hook: Hook[F]) -> list[F]:
    return list(_implementations.get(hook, []))  # type: ignore[arg-type]  # one F per hook


def clear_hooks() -> None:
    _implementations.clear()
