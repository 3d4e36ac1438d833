"""The reports domain as the app, worker and commands see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import PERMISSION_ACTIONS
from giamsat.cases.events import CaseChanged
from giamsat.core.domain import Domain
from giamsat.letters.events import LetterRecordChanged
from giamsat.reports import api, jobs, provisioning, reactions, views
from giamsat.reports.permissions import report_actions
from giamsat.reports.rules import RULES
from giamsat.reports.yearly_review import api as review_api
from giamsat.reports.yearly_review import views as review_views
from giamsat.supervision.events import SupervisionRecordChanged

DOMAIN = Domain(
    name="reports",
    rules=RULES,
    depends_on=("accounts", "cases", "letters", "supervision", "units"),
    api_blueprints=(*api.BLUEPRINTS, *review_api.BLUEPRINTS),
    page_blueprints=(views.bp, review_views.bp),
    nav_links=lambda: [
        ("reports_pages.calendar", _l("Báo cáo")),
        ("review_pages.index", _l("Đánh giá năm")),
    ],
    # The indicator catalogue and the periods of this year and the next (idempotent).
    provision_tenant=provisioning.provision_tenant,
    periodic_jobs=tuple(jobs.PERIODIC),
    # Records of other domains changed: recompute the figures they count in.
    listeners=(
        (CaseChanged, reactions.on_case_changed),
        (LetterRecordChanged, reactions.on_record_changed),
        (SupervisionRecordChanged, reactions.on_record_changed),
    ),
    # Accepting and returning reports on the role matrix and the "who can" hints.
    hooks=((PERMISSION_ACTIONS, report_actions),),
)
