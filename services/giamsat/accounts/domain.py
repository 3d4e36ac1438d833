"""The accounts domain as the app, worker and commands see it."""

from __future__ import annotations

from giamsat.accounts import api, views
from giamsat.core.domain import Domain

DOMAIN = Domain(
    name="accounts",
    depends_on=("units",),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp,),
)
