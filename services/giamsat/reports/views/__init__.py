"""Report pages: the calendar, a report (draft, edit, submit, return, accept), a parent's
consolidation with its exports, ad hoc requests, the completeness dashboard and the indicators.

One blueprint (endpoints `reports_pages.<view>`); each resource module adds its routes to it.
Thin handlers over `reports.operations` / `reports.queries`; files come from `exports` and,
for consolidations, from the export job (`export_jobs`) whose progress page refreshes itself.
"""

from __future__ import annotations

from flask import Blueprint

from giamsat.core import clock
from giamsat.reports import labels
from giamsat.reports.models import ExportStatus

bp = Blueprint(
    "reports_pages",
    __name__,
    url_prefix="/t/<tenant>/reports",
    template_folder="../templates",
    static_folder="../static",
)


@bp.context_processor
def _report_labels():
    return {"rp": labels, "ExportStatus": ExportStatus, "tz": clock.zone()}


# The resource modules register their routes on `bp` when imported.
from giamsat.reports.views import (  # noqa: E402,F401
    ad_hoc,
    calendar,
    consolidation,
    current_tree,
    dashboard,
    indicators,
    province,
    report,
)
