"""The accounts domain as the app, worker and commands see it."""

from __future__ import annotations

from giamsat.accounts import api, credential_views, rules, signin_views, views
from giamsat.core.domain import Domain

DOMAIN = Domain(
    name="accounts",
    depends_on=("units",),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp, signin_views.bp, credential_views.bp),
    rules=rules.RULES,
)
