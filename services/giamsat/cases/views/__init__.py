"""Staff pages of cases: the unit's queue, intake, the case page with its actions, the reveal of
a reporter's identity, the XLSX export and the classification catalogue.

One blueprint (endpoints `cases_pages.<view>`); each resource module adds its routes to it."""

from __future__ import annotations

from flask import Blueprint

from giamsat.accounts.permissions import who_can

bp = Blueprint(
    "cases_pages",
    __name__,
    url_prefix="/t/<tenant>/cases",
    template_folder="../templates",
    static_folder="../static",
)


@bp.context_processor
def _who_can():
    # Where a page hides an action from the viewer's role it says who can do it.
    return {"who_can": who_can}


# The resource modules register their routes on `bp` when imported.
from giamsat.cases.views import (  # noqa: E402,F401
    case,
    categories,
    common,
    deadlines,
    documents,
    files,
    identity,
    intake,
    queue,
)
