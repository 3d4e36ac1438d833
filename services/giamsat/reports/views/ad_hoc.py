"""Ad hoc requests: a higher unit asks the units below it for a report with its own due date."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from giamsat.core.errors import Forbidden
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import forms as f
from giamsat.reports import operations
from giamsat.reports.views import bp
from giamsat.reports.views.common import can, reporting_units
from giamsat.units.pickers import picker_label, picker_order


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def request_ad_hoc():
    """A higher unit asks the units below it for a report with its own due date."""
    units = [u for u in reporting_units() if can(u, operations.REVIEWERS)]
    if not units:
        raise Forbidden(_("Tài khoản của bạn không được yêu cầu báo cáo đột xuất."))
    form = f.AdHocRequestForm()
    form.unit_id.choices = [(str(u.id), picker_label(u)) for u in picker_order(units)]
    if form.unit_id.data is None:
        form.unit_id.data = request.args.get("unit", type=int) or units[0].id
    return form_page(
        form,
        "reports/request.html",
        run=lambda: operations.request_ad_hoc_report(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            title=form.title.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            due_on=form.due_on.data,
            note=form.note.data or "",
        ),
        then=lambda period: done(
            _(
                "Đã gửi yêu cầu “%(title)s”. Các đơn vị cấp dưới thấy yêu cầu này trong lịch "
                "báo cáo, hạn nộp %(due)s.",
                title=period.title,
                due=period.due_on.strftime("%d/%m/%Y"),
            ),
            url_for("reports_pages.calendar", unit=form.unit_id.data, year=period.year),
        ),
    )
