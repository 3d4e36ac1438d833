"""The explicit list of domain packages; nothing is discovered by walking folders."""
from __future__ import annotations

import importlib

#: Order matters only for readability; each domain's models import what they reference.
DOMAINS = ("units", "accounts", "cases", "letters", "supervision", "reports", "notifications")


def load_models() -> None:
    """Import every model module so both metadata objects are complete (Alembic, tests)."""
    importlib.import_module("giamsat.core.audit")
    importlib.import_module("giamsat.tenancy.models")
    importlib.import_module("giamsat.jobs.models")
    for name in DOMAINS:
        importlib.import_module(f"giamsat.{name}.models")
