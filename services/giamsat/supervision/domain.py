"""The supervision domain as the app, worker and commands see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import PERMISSION_ACTIONS
from giamsat.cases.panels import CASE_PAGE_PANELS
from giamsat.core.domain import Domain
from giamsat.supervision import api, views
from giamsat.supervision.channels import area_people, case_panel, register_views  # noqa: F401
from giamsat.supervision.channels import blueprint as channel_pages
from giamsat.supervision.channels import views as channel_views  # noqa: F401  (its routes)
from giamsat.supervision.permissions import supervision_actions
from giamsat.supervision.rules import RULES
from giamsat.supervision.views import case_people
from giamsat.units.area_people import AREA_PEOPLE

DOMAIN = Domain(
    name="supervision",
    rules=RULES,
    depends_on=("accounts", "cases", "units"),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp, channel_pages.bp),
    nav_links=lambda: [("supervision_pages.people", _l("Giám sát"))],
    # Keeping the register and approving plans on the role matrix and the "who can" hints;
    # on a case opened from a voter-meeting issue, the session it was raised at; on every case,
    # the people of the register it is about and the proposals; the respected people of an
    # area as the letters' key keepers and witnesses.
    hooks=(
        (PERMISSION_ACTIONS, supervision_actions),
        (CASE_PAGE_PANELS, case_panel.case_panel),
        (CASE_PAGE_PANELS, case_people.case_panel),
        (AREA_PEOPLE, area_people.names_for),
    ),
)
