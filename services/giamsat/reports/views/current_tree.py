"""A period's figures under today's units: a period before the reform (1 July 2025) as the
province's current communes carry it on (`queries.current_tree_view`)."""

from __future__ import annotations

from flask import render_template

from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import queries
from giamsat.reports.views import bp
from giamsat.reports.views.common import organization_arg

#: The headline indicators shown per unit (the full list is shown for the unit itself).
HEADLINES = ("intake.received", "activities.sessions")


@bp.get("/periods/<int:period_id>/units/<int:unit_id>/current-tree")
@login_required
def current_tree(period_id: int, unit_id: int):
    session = tenant_session()
    view = queries.current_tree_view(
        session,
        current_principal(),
        period_id=period_id,
        unit_id=unit_id,
        organization_id=organization_arg(),
    )
    indicators = queries.list_indicators(session)
    labels = {ind.code: ind for ind in indicators}
    return render_template(
        "reports/current_tree.html",
        view=view,
        indicators=indicators,
        headlines=[labels[code] for code in HEADLINES if code in labels],
    )
