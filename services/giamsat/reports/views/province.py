"""A period's units, as a province officer scans 129 communes and more: the searchable,
filterable, paginated table with its chart; the units that have not sent their report, with
who answers for them, as a page, an XLSX file and a reminder sent in one action."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.core import audit, clock
from giamsat.core.errors import Forbidden
from giamsat.http.pages import paginate_items, private_download, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import operations, queries
from giamsat.reports.exports import XLSX_MIMETYPE, file_name
from giamsat.reports.queries.unit_status import (
    STATES,
    UnitStatus,
    responsible_contacts,
    unit_statuses,
)
from giamsat.reports.reminding import reminder_sender
from giamsat.reports.unit_list_export import missing_units_xlsx
from giamsat.reports.views import bp
from giamsat.reports.views.common import can, chosen_unit, reporting_units
from giamsat.reports.views.unit_filters import UnitFilters, levels_of, state_counts

#: Geometry of the state chart (SVG user units; the viewBox scales it to the screen).
CHART_LABEL, CHART_BAR, CHART_ROW = 150, 260, 28


@dataclass
class StateBar:
    state: str
    count: int
    y: int
    width: int


def state_bars(counts: dict[str, int]) -> list[StateBar]:
    """One bar per state, as wide as its share of all the units."""
    total = sum(counts.values())
    return [
        StateBar(state, n, 6 + i * CHART_ROW, round(CHART_BAR * n / total) if total else 0)
        for i, (state, n) in enumerate(counts.items())
    ]


def _page_rows(period_id: int):
    session, principal = tenant_session(), current_principal()
    unit = chosen_unit(reporting_units())
    period = queries.get_period(session, period_id, principal)
    rows = unit_statuses(session, principal, unit_id=unit.id, period_id=period.id)
    return unit, period, rows


def _missing(rows: list[UnitStatus]) -> list[UnitStatus]:
    missing = UnitFilters(state="missing").apply(rows)
    contacts = responsible_contacts(tenant_session(), [r.unit.id for r in missing])
    for row in missing:
        row.contacts = contacts[row.unit.id]
    return missing


@bp.get("/dashboard/<int:period_id>")
@login_required
def dashboard_period(period_id: int):
    """Every reporting unit below the chosen one: search, filter, sort, pages, a chart."""
    unit, period, rows = _page_rows(period_id)
    filters = UnitFilters.from_request()
    counts = state_counts(rows)
    return render_template(
        "reports/dashboard_period.html",
        unit=unit,
        period=period,
        filters=filters,
        levels=levels_of(rows),
        states=STATES,
        counts=counts,
        bars=state_bars(counts),
        chart=dict(
            label=CHART_LABEL,
            bar=CHART_BAR,
            row=CHART_ROW,
            width=CHART_LABEL + CHART_BAR + 50,
            height=12 + CHART_ROW * len(STATES),
        ),
        total=len(rows),
        page=paginate_items(filters.apply(rows)),
        today=clock.today(),
    )


@bp.get("/dashboard/<int:period_id>/missing")
@login_required
def missing_units(period_id: int):
    """The units whose report is overdue, with who answers for each and how to reach them."""
    unit, period, rows = _page_rows(period_id)
    return render_template(
        "reports/missing.html",
        unit=unit,
        period=period,
        missing=_missing(rows),
        can_remind=can(unit, operations.REVIEWERS) and reminder_sender() is not None,
    )


@bp.get("/dashboard/<int:period_id>/missing.xlsx")
@login_required
def missing_units_export(period_id: int):
    unit, period, rows = _page_rows(period_id)
    data = missing_units_xlsx(period, unit, _missing(rows))
    return private_download(data, file_name(period, unit, "chua-nop", "xlsx"), XLSX_MIMETYPE)


@bp.route("/dashboard/<int:period_id>/missing/remind", methods=["GET", "POST"])
@login_required
def remind_missing(period_id: int):
    """GET asks to confirm (how many units, how many people); POST sends. Each unit's people
    are reminded at most once a day for the period: a second click the same day sends nothing."""
    unit, period, rows = _page_rows(period_id)
    sender = reminder_sender()
    if not can(unit, operations.REVIEWERS) or sender is None:
        raise Forbidden(_("Chỉ lãnh đạo hoặc quản trị của đơn vị cấp trên mới gửi được nhắc nhở."))
    missing = _missing(rows)
    if request.method == "GET":
        return render_template(
            "reports/remind_confirm.html",
            unit=unit,
            period=period,
            missing=missing,
            people=sum(len(r.contacts) for r in missing),
        )
    session, principal = tenant_session(), current_principal()
    recipients = {r.unit.id: [c.user_id for c in r.contacts] for r in missing if r.contacts}
    result = sender(session, principal, g.tenant.tenant_id, period, recipients)
    audit.record(
        session,
        principal,
        action="reports.remind_missing",
        object_type="report_period",
        object_id=period.id,
        changes={
            "unit": [None, unit.id],
            "reminded_units": [None, result.units],
            "notifications": [None, result.notifications],
        },
    )
    if result.units:
        message = _(
            "Đã gửi nhắc nhở tới %(people)s người của %(units)s đơn vị chưa nộp báo cáo.",
            people=result.notifications,
            units=result.units,
        )
    else:
        message = _("Hôm nay các đơn vị này đã được nhắc rồi; không gửi thêm.")
    if result.units and result.already_today:
        message += " " + _(
            "%(n)s đơn vị đã được nhắc hôm nay nên không gửi lại.", n=result.already_today
        )
    flash(message, "success")
    return redirect(url_for("reports_pages.missing_units", period_id=period.id, unit=unit.id))
