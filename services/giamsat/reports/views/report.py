"""One report: its page, the edit form (narrative, header, figures), the workflow buttons
(refresh, submit, accept, return) and its files (DOCX, XLSX)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from giamsat.accounts.permissions import who_can
from giamsat.core import clock
from giamsat.core.errors import Forbidden
from giamsat.http.pages import FORM_ERRORS, done, form_page, render_form, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import exports, operations, queries
from giamsat.reports import forms as f
from giamsat.reports.models import Report, ReportStatus
from giamsat.reports.views import bp
from giamsat.reports.views.common import can, version_of
from giamsat.units.department_pages import department_choices
from giamsat.units.models import Unit


def _report_url(report_id: int) -> str:
    return url_for("reports_pages.report", report_id=report_id)


def _report_page(report: Report, *, return_form=None, errors=(), status: int = 200):
    session = tenant_session()
    reviewer = operations.reviewer_unit(session, report)
    can_review = report.status == ReportStatus.submitted and can(reviewer, operations.REVIEWERS)
    return render_template(
        "reports/report.html",
        report=report,
        lines=queries.report_lines(session, report),
        events=queries.list_report_events(session, report),
        reviewer=reviewer,
        can_write=report.is_editable and can(report.unit, operations.AUTHORS),
        can_review=can_review,
        can_withdraw=operations.can_withdraw(report, current_principal())
        and can(report.unit, operations.AUTHORS),
        review_hint=(
            who_can("reports.review")
            if report.status == ReportStatus.submitted and not can_review
            else None
        ),
        action_form=f.VersionForm(data={"version": report.version}),
        submit_form=f.SubmitForm(data={"version": report.version}),
        accept_form=f.AcceptForm(data={"version": report.version}),
        return_form=return_form or f.ReturnForm(data={"version": report.version}),
        errors=list(errors),
    ), status


@bp.get("/<int:report_id>")
@login_required
def report(report_id: int):
    return _report_page(queries.get_report(tenant_session(), current_principal(), report_id))


def _posted_figures(report: Report) -> dict[str, dict]:
    """The `figure-<code>` and `note-<code>` inputs, one per indicator of the report."""
    figures, notes = {}, {}
    for entry in report.entries:
        raw = request.form.get(f"figure-{entry.indicator_code}")
        if raw is not None:
            raw = raw.strip().replace(".", "").replace(" ", "")
            figures[entry.indicator_code] = raw if raw else None
        note = request.form.get(f"note-{entry.indicator_code}")
        if note is not None:
            notes[entry.indicator_code] = note
    return {"figures": figures, "notes": notes}


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit(report_id: int):
    """Narrative sections, document header and the figures (a changed figure is a hand entry)."""
    session, principal = tenant_session(), current_principal()
    report = queries.get_report(session, principal, report_id)
    if not can(report.unit, operations.AUTHORS):
        raise Forbidden(_("Tài khoản của bạn chỉ được xem báo cáo, không được sửa."))
    form = f.ReportForm(obj=report)
    form.department_id.choices = department_choices(
        session, principal, report.unit_id, report.department_id
    )
    if not form.is_submitted() and not report.is_editable:
        return done(
            _("Báo cáo này không sửa được nữa (đã gửi hoặc đã được tiếp nhận)."),
            _report_url(report.id),
            "warning",
        )
    # What was typed in the figure rows, shown again if the save is refused.
    posted = _posted_figures(report) if form.is_submitted() else {}

    def show(form, status=200, errors=()):
        return render_form(
            "reports/edit.html",
            form,
            status,
            errors,
            report=report,
            lines=queries.report_lines(session, report),
            posted=posted,
            figure_errors=form.figure_errors,
        )

    return form_page(
        form,
        "reports/edit.html",
        render=show,
        prefill=lambda: setattr(form.version, "data", str(report.version)),
        run=lambda: operations.update_report(
            session,
            principal,
            report.id,
            version=version_of(form),
            narrative={n: form[n].data for n in form.NARRATIVE_FIELDS},
            header={n: form[n].data for n in form.HEADER_FIELDS},
            department_id=form.department_id.data,
            **posted,
        ),
        then=lambda _saved: done(
            _("Đã lưu báo cáo. Khi đã đủ nội dung, hãy bấm “Gửi báo cáo”."), _report_url(report.id)
        ),
    )


def _may_act(report_id: int, who: str) -> None:
    """Who may press a confirmed button is checked before its box: someone who may not act
    gets the refusal (403, 404 outside their units), not a request to tick a box."""
    session = tenant_session()
    report = queries.get_report(session, current_principal(), report_id)
    unit = report.unit if who == "author" else operations.reviewer_unit(session, report)
    roles = operations.AUTHORS if who == "author" else operations.REVIEWERS
    if not can(unit, roles):
        raise Forbidden(_("Tài khoản của bạn không được thực hiện việc này với báo cáo."))


def _workflow_action(report_id: int, run, done_message: str, form_class=f.VersionForm):
    """A workflow button on the report page.

    Hand-written: no form page to show again — a refusal (or a confirmation box left
    unticked) is flashed on the report page."""
    form = form_class()
    if form_class is not f.VersionForm:
        _may_act(report_id, "reviewer" if form_class is f.AcceptForm else "author")
    if not form.validate():
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
        return redirect(_report_url(report_id))
    try:
        run(version=version_of(form))
    except FORM_ERRORS as error:
        flash(error.message, "error")
    else:
        flash(done_message, "success")
    return redirect(_report_url(report_id))


@bp.post("/<int:report_id>/refresh")
@login_required
def refresh(report_id: int):
    return _workflow_action(
        report_id,
        lambda version: operations.refresh_report(
            tenant_session(), current_principal(), report_id, version=version
        ),
        _("Đã cập nhật số liệu mới nhất từ hồ sơ. Số nhập tay giữ nguyên."),
    )


@bp.post("/<int:report_id>/submit")
@login_required
def submit(report_id: int):
    return _workflow_action(
        report_id,
        lambda version: operations.submit_report(
            tenant_session(), current_principal(), report_id, version=version
        ),
        _("Đã gửi báo cáo lên cấp trên. Báo cáo sẽ không sửa được trừ khi cấp trên trả lại."),
        f.SubmitForm,
    )


@bp.post("/<int:report_id>/withdraw")
@login_required
def withdraw(report_id: int):
    """The undo of "Gửi báo cáo", shortly after it and before the receiving unit acts."""
    return _workflow_action(
        report_id,
        lambda version: operations.withdraw_report(
            tenant_session(), current_principal(), report_id, version=version
        ),
        _("Đã rút lại báo cáo: báo cáo trở lại dự thảo, sửa xong thì gửi lại."),
    )


@bp.post("/<int:report_id>/accept")
@login_required
def accept(report_id: int):
    return _workflow_action(
        report_id,
        lambda version: operations.accept_report(
            tenant_session(), current_principal(), report_id, version=version
        ),
        _("Đã tiếp nhận báo cáo. Số liệu và nội dung được giữ cố định."),
        f.AcceptForm,
    )


@bp.post("/<int:report_id>/return")
@login_required
def return_(report_id: int):
    """The reviewer sends the report back with a reason; a refusal shows the report page again
    with the reason's box marked."""
    session, principal = tenant_session(), current_principal()
    form = f.ReturnForm()
    return form_page(
        form,
        "reports/report.html",
        render=lambda form, status=200, errors=(): _report_page(
            queries.get_report(session, principal, report_id),
            return_form=form,
            errors=errors,
            status=status,
        ),
        run=lambda: operations.return_report(
            session, principal, report_id, reason=form.reason.data or "", version=version_of(form)
        ),
        then=lambda _returned: done(
            _("Đã trả lại báo cáo kèm lý do. Đơn vị sẽ sửa và gửi lại."), _report_url(report_id)
        ),
    )


@bp.get("/<int:report_id>/export.<fmt>")
@login_required
def export_report(report_id: int, fmt: str):
    """The report as DOCX (administrative layout) or XLSX, built at once (it is small)."""
    session = tenant_session()
    report = queries.get_report(session, current_principal(), report_id)
    lines = queries.report_lines(session, report)
    if fmt == "docx":
        parent = session.get(Unit, report.unit.parent_id) if report.unit.parent_id else None
        day = (report.submitted_at or clock.local_now()).astimezone(clock.zone()).date()
        data = exports.report_docx(
            report,
            lines,
            parent=parent,
            organization=report.organization,
            day=day,
        )
        mimetype = exports.DOCX_MIMETYPE
    elif fmt == "xlsx":
        data, mimetype = exports.report_xlsx(report, lines), exports.XLSX_MIMETYPE
    else:
        abort(404)
    name = exports.file_name(report.period, report.unit, "bao-cao", fmt)
    return send_file(
        BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0
    )
