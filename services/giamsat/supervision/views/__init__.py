"""Pages of the supervision register, one module per resource: people (and their XLSX
import), assignments, plans, activities, recommendations, dialogues. Thin handlers over
`supervision.operations` and `supervision.queries`."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint

from giamsat.accounts.permissions import who_can
from giamsat.core import clock
from giamsat.http.pages import tenant_session
from giamsat.supervision import labels
from giamsat.units.queries import work_calendar

# Named after the domain package, so "templates" is the domain's own folder.
bp = Blueprint(
    "supervision_pages",
    "giamsat.supervision",
    url_prefix="/t/<tenant>/supervision",
    template_folder="templates",
)


@bp.app_template_filter("working_days_late")
def working_days_late(due_on: dt.date) -> int:
    """Working days past the due date, as of today (the figure staff chase answers by)."""
    return work_calendar(tenant_session()).working_days_between(due_on, clock.today())


@bp.context_processor
def _supervision_labels():
    # `who_can`: where a page hides an action from the viewer's role it says who can do it.
    return {"sv": labels, "sv_today": clock.today, "who_can": who_can}


# The resource modules register their routes on `bp` (so they come after it).
from giamsat.supervision.views import (  # noqa: E402
    activities,
    assignments,
    boards,
    case_people,
    dialogues,
    finding_tags,
    imports,
    people,
    plans,
    recommendations,
)

__all__ = [
    "activities",
    "assignments",
    "boards",
    "bp",
    "case_people",
    "dialogues",
    "finding_tags",
    "imports",
    "people",
    "plans",
    "recommendations",
]
