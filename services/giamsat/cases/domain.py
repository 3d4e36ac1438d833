"""The cases domain as the app, worker and commands see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import PERMISSION_ACTIONS
from giamsat.cases import api, catalogue, deadlines, views
from giamsat.cases.permissions import case_actions
from giamsat.cases.public import views as public_views
from giamsat.cases.rules import RULES
from giamsat.core.domain import Domain


def provision_tenant(session, progress) -> None:
    """The classification catalogue and the deadline table of a tenant (idempotent)."""
    catalogue.provision_tenant(session, progress)
    deadlines.provision_tenant(session, progress)


DOMAIN = Domain(
    name="cases",
    rules=RULES,
    depends_on=("accounts", "units"),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp, public_views.bp),
    nav_links=lambda: [("cases_pages.queue", _l("Hồ sơ tiếp nhận"))],
    provision_tenant=provision_tenant,
    # Handling cases and revealing identities on the role matrix and the "who can" hints.
    hooks=((PERMISSION_ACTIONS, case_actions),),
)
