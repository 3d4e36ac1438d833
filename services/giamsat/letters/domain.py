"""The letters domain as the app, worker and commands see it."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import PERMISSION_ACTIONS
from giamsat.cases.panels import CASE_PAGE_PANELS
from giamsat.cases.queries import CASE_TEXT_PENDING
from giamsat.core.domain import Domain
from giamsat.jobs.schedules import PeriodicJob
from giamsat.letters import api, case_text, views
from giamsat.letters.permissions import letter_actions
from giamsat.letters.rules import RULES
from giamsat.letters.views import case_panel

DOMAIN = Domain(
    name="letters",
    rules=RULES,
    depends_on=("accounts", "cases", "units"),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp,),
    nav_links=lambda: [("letters_pages.register", _l("Hòm thư góp ý"))],
    periodic_jobs=(
        PeriodicJob(
            "letters.orphan_cleanup",
            "giamsat.letters.jobs.clean_orphan_uploads",
            every=dt.timedelta(hours=1),
        ),
    ),
    hooks=(
        # A letter not read yet is no "similar text" hint: its words are the placeholder.
        (CASE_TEXT_PENDING, case_text.case_text_pending),
        # The case page shows the scan's pages, the OCR state, and links to the viewer.
        (CASE_PAGE_PANELS, case_panel.case_panel),
        # Keeping boxes and handling letters on the role matrix and the "who can" hints.
        (PERMISSION_ACTIONS, letter_actions),
    ),
)
