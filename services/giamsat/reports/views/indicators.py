"""How the figures are computed: the indicator catalogue, each with its method."""

from __future__ import annotations

from flask import render_template

from giamsat.http.pages import tenant_session
from giamsat.http.session import login_required
from giamsat.reports import queries
from giamsat.reports.models import PeriodKind
from giamsat.reports.views import bp


@bp.get("/indicators")
@login_required
def indicators():
    """Every indicator with how it is computed from the records, or that it is entered by hand."""
    return render_template(
        "reports/indicators.html",
        indicators=queries.list_indicators(tenant_session()),
        PeriodKind=PeriodKind,
    )
