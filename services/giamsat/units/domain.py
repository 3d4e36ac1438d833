"""The units domain as the app, worker and commands see it."""

from __future__ import annotations

from giamsat.core.domain import Domain
from giamsat.units import api, department_pages, views
from giamsat.units.rules import RULES

DOMAIN = Domain(
    name="units",
    rules=RULES,
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp, department_pages.bp),
)
