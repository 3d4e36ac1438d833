"""The explicit list of domains: each package's one declaration, in dependency order.

The app, the worker, the scheduler and the commands read this list; nothing is discovered by
walking folders or looked up by name. `install()` connects the declared event listeners and
hook implementations, once per process, so operations behave the same everywhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from giamsat.accounts.domain import DOMAIN as accounts
from giamsat.cases.domain import DOMAIN as cases
from giamsat.core import domain as hooks
from giamsat.core import events
from giamsat.core.domain import Domain
from giamsat.core.rules import RuleSpec
from giamsat.letters.domain import DOMAIN as letters
from giamsat.notifications.domain import DOMAIN as notifications
from giamsat.reports.domain import DOMAIN as reports
from giamsat.supervision.domain import DOMAIN as supervision
from giamsat.units.domain import DOMAIN as units

DOMAINS: tuple[Domain, ...] = (units, accounts, cases, letters, supervision, reports, notifications)

_installed = False


def install() -> None:
    """Connect every declared listener and hook implementation (idempotent)."""
    global _installed
    if _installed:
        return
    for domain in DOMAINS:
        for event_type, listener in domain.listeners:
            events.subscribe(event_type, listener)
        for hook, implementation in domain.hooks:
            hooks.provide(hook, implementation)
    _installed = True


def load_models() -> None:
    """Import every model module so both metadata objects are complete (Alembic, tests), and
    install the domains."""
    importlib.import_module("giamsat.core.audit")
    importlib.import_module("giamsat.tenancy.models")
    importlib.import_module("giamsat.tenancy.operators")
    importlib.import_module("giamsat.jobs.models")
    for domain in DOMAINS:
        importlib.import_module(f"giamsat.{domain.name}.models")
    install()


def package_dir(domain: Domain) -> Path:
    return Path(__file__).resolve().parent / domain.name


def api_blueprints() -> Iterator[Any]:
    for domain in DOMAINS:
        yield from domain.api_blueprints


def page_blueprints() -> Iterator[Any]:
    for domain in DOMAINS:
        yield from domain.page_blueprints


def nav_links() -> list[tuple[str, Any]]:
    """(endpoint, label) of each domain's main page, in DOMAINS order."""
    return [link for domain in DOMAINS if domain.nav_links for link in domain.nav_links()]


def provision_tenant(session, progress) -> None:
    """Each domain's per-tenant seed data (e.g. the classification catalogue), in order; each
    is idempotent and leaves rows an admin changed alone."""
    for domain in DOMAINS:
        if domain.provision_tenant is not None:
            domain.provision_tenant(session, progress)


def periodic_jobs() -> list[Any]:
    return [job for domain in DOMAINS for job in domain.periodic_jobs]


def rule_specs() -> list[RuleSpec]:
    """Every tenant rule, as its owning domain declares it; a key owned twice is a bug."""
    specs = [spec for domain in DOMAINS for spec in domain.rules]
    keys = [spec.key for spec in specs]
    if len(set(keys)) != len(keys):
        raise RuntimeError(f"a tenant rule is declared twice: {sorted(keys)}")
    return specs
