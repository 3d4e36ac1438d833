"""The calendar: the periods of a year with their windows, deadlines and the unit's reports,
and the button that opens (or first drafts) a report."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from giamsat.core import clock
from giamsat.http.pages import FORM_ERRORS, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import operations, queries
from giamsat.reports.models import Report
from giamsat.reports.views import bp
from giamsat.reports.views.common import (
    can,
    chosen_unit,
    organization_field,
    reporting_units,
    year_arg,
)
from giamsat.units.queries import list_organizations


@dataclass
class CalendarRow:
    period: object
    report: Report | None
    org_reports: list
    below: object  # queries.Completeness of the units below, or None


@bp.get("/")
@login_required
def calendar():
    """The periods of a year with their windows, deadlines and this unit's report status."""
    session, principal = tenant_session(), current_principal()
    units = reporting_units()
    unit, year = chosen_unit(units), year_arg()
    periods = queries.list_periods(session, year=year, principal=principal)
    reports = {}
    for report in session.scalars(
        queries.reports_query(principal, unit_id=unit.id).where(
            Report.period_id.in_([p.id for p in periods])
        )
    ):
        reports.setdefault(report.period_id, []).append(report)
    below = {
        c.period.id: c
        for c in queries.completeness(
            session, principal, unit_id=unit.id, period_ids=[p.id for p in periods]
        )
    }
    rows = []
    for period in periods:
        mine = reports.get(period.id, [])
        whole = next((r for r in mine if r.organization_id is None), None)
        rows.append(
            CalendarRow(period, whole, [r for r in mine if r.organization_id], below.get(period.id))
        )
    return render_template(
        "reports/calendar.html",
        rows=rows,
        unit=unit,
        units=units,
        year=year,
        today=clock.today(),
        organizations=list_organizations(session),
        can_write=can(unit, operations.AUTHORS),
        can_request=can(unit, operations.REVIEWERS) and not unit.level.is_residential_area,
    )


@bp.post("/periods/<int:period_id>/units/<int:unit_id>/open")
@login_required
def open_report(period_id: int, unit_id: int):
    """Open the report of (period, unit[, organization]); a draft with the figures is made
    the first time.

    Hand-written: a button on the calendar, not a form page — a refusal is flashed there."""
    try:
        report, created = operations.open_report(
            tenant_session(),
            current_principal(),
            period_id=period_id,
            unit_id=unit_id,
            organization_id=organization_field(),
        )
    except FORM_ERRORS as error:
        flash(error.message, "error")
        return redirect(url_for("reports_pages.calendar", unit=unit_id))
    if created:
        flash(
            _(
                "Đã lập dự thảo báo cáo, số liệu đã được điền sẵn từ hồ sơ. Hãy xem lại, viết "
                "các phần nội dung rồi gửi."
            ),
            "success",
        )
    return redirect(url_for("reports_pages.report", report_id=report.id))
