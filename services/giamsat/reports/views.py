"""Report pages: the calendar, a report (draft, edit, submit, return, accept), a parent's
consolidation, ad hoc requests, the completeness dashboard and the exports.

Thin handlers over `reports.operations` / `reports.queries`; files come from `exports` and,
for consolidations, from the export job (`export_jobs`) whose progress page refreshes itself.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from giamsat.core.errors import Conflict, Forbidden, ValidationFailed
from giamsat.core.storage import storage_for
from giamsat.reports import export_jobs, exports, labels, operations, queries
from giamsat.reports import forms as f
from giamsat.reports.models import ExportStatus, PeriodKind, Report, ReportStatus
from giamsat.units.models import Organization, Unit, UnitLevel
from giamsat.units.queries import get_unit, list_organizations, visible_units_clause
from giamsat.http.session import current_principal, login_required

bp = Blueprint("reports_pages", __name__, url_prefix="/t/<tenant>/reports",
               template_folder="templates", static_folder="static")

#: Errors an operation raises about the input: shown on the page, nothing saved.
FORM_ERRORS = (ValidationFailed, Conflict)
#: Seconds between two looks of the export page at its job's progress.
EXPORT_REFRESH_SECONDS = 2


def _session():
    return g.tenant.session


def _today() -> dt.date:
    return queries.local_today()


@bp.context_processor
def _report_labels():
    return {"rp": labels, "ExportStatus": ExportStatus, "tz": queries.LOCAL_TZ}


# --- units the user works with ------------------------------------------------------------------

def _reporting_units() -> list[Unit]:
    """Current units the user sees that report (every level but residential areas)."""
    return list(_session().scalars(
        select(Unit).join(Unit.level)
        .where(visible_units_clause(current_principal()), Unit.valid_to.is_(None),
               UnitLevel.is_residential_area.is_(False))
        .order_by(Unit.path)))


def _chosen_unit(units: list[Unit]) -> Unit:
    """The unit of `?unit=` (404 if the user doesn't see it), else the user's highest unit."""
    unit_id = request.args.get("unit", type=int)
    if unit_id is not None:
        return get_unit(_session(), unit_id, current_principal())
    if not units:
        abort(404)
    return units[0]


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else _today().year


def _organization_arg() -> int | None:
    org_id = request.args.get("org", type=int)
    if org_id is None:
        return None
    if _session().get(Organization, org_id) is None:
        abort(404)
    return org_id


def _can(unit: Unit, roles) -> bool:
    return current_principal().has_role_over(unit.path, roles)


def _version(form) -> int | None:
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() else None


# --- calendar -----------------------------------------------------------------------------------

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
    session, principal = _session(), current_principal()
    units = _reporting_units()
    unit, year = _chosen_unit(units), _year()
    periods = queries.list_periods(session, year=year, principal=principal)
    reports = {}
    for report in session.scalars(queries.reports_query(principal, unit_id=unit.id)
                                  .where(Report.period_id.in_([p.id for p in periods]))):
        reports.setdefault(report.period_id, []).append(report)
    below = {c.period.id: c for c in queries.completeness(
        session, principal, unit_id=unit.id, period_ids=[p.id for p in periods])}
    rows = []
    for period in periods:
        mine = reports.get(period.id, [])
        whole = next((r for r in mine if r.organization_id is None), None)
        rows.append(CalendarRow(period, whole, [r for r in mine if r.organization_id],
                                below.get(period.id)))
    return render_template(
        "reports/calendar.html", rows=rows, unit=unit, units=units, year=year,
        today=_today(), organizations=list_organizations(session),
        can_write=_can(unit, operations.AUTHORS),
        can_request=_can(unit, operations.REVIEWERS) and not unit.level.is_residential_area)


@bp.post("/periods/<int:period_id>/units/<int:unit_id>/open")
@login_required
def open_report(period_id: int, unit_id: int):
    """Open the report of (period, unit[, organization]); a draft with the figures is made
    the first time."""
    org_raw = request.form.get("organization_id", "")
    org_id = int(org_raw) if org_raw.isdigit() else None
    try:
        report, created = operations.open_report(
            _session(), current_principal(), period_id=period_id, unit_id=unit_id,
            organization_id=org_id)
    except FORM_ERRORS as error:
        flash(error.message, "error")
        return redirect(url_for("reports_pages.calendar", unit=unit_id))
    if created:
        flash(_("Đã lập dự thảo báo cáo, số liệu đã được điền sẵn từ hồ sơ. Hãy xem lại, viết "
                "các phần nội dung rồi gửi."), "success")
    return redirect(url_for("reports_pages.report", report_id=report.id))


# --- one report ---------------------------------------------------------------------------------

def _report_page(report: Report, *, return_form=None, errors=(), status: int = 200):
    session = _session()
    reviewer = operations.reviewer_unit(session, report)
    return render_template(
        "reports/report.html", report=report, lines=queries.report_lines(session, report),
        events=queries.list_report_events(session, report), reviewer=reviewer,
        can_write=report.is_editable and _can(report.unit, operations.AUTHORS),
        can_review=(report.status == ReportStatus.submitted
                    and _can(reviewer, operations.REVIEWERS)),
        action_form=f.VersionForm(data={"version": report.version}),
        return_form=return_form or f.ReturnForm(data={"version": report.version}),
        errors=list(errors)), status


@bp.get("/<int:report_id>")
@login_required
def report(report_id: int):
    return _report_page(queries.get_report(_session(), current_principal(), report_id))


def _posted_figures(report: Report) -> tuple[dict, dict]:
    figures, notes = {}, {}
    for entry in report.entries:
        raw = request.form.get(f"figure-{entry.indicator_code}")
        if raw is not None:
            raw = raw.strip().replace(".", "").replace(" ", "")
            figures[entry.indicator_code] = raw if raw else None
        note = request.form.get(f"note-{entry.indicator_code}")
        if note is not None:
            notes[entry.indicator_code] = note
    return figures, notes


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit(report_id: int):
    """Narrative sections, document header and the figures (a changed figure is a hand entry)."""
    session, principal = _session(), current_principal()
    report = queries.get_report(session, principal, report_id)
    if not _can(report.unit, operations.AUTHORS):
        raise Forbidden(_("Tài khoản của bạn chỉ được xem báo cáo, không được sửa."))
    form = f.ReportForm(obj=report)
    if not form.is_submitted():
        form.version.data = str(report.version)
    figure_errors, posted, errors = {}, {}, []
    if form.is_submitted():
        figures, notes = _posted_figures(report)
        posted = {"figures": figures, "notes": notes}
        try:
            operations.update_report(
                session, principal, report.id, version=_version(form),
                narrative={n: form[n].data for n in form.NARRATIVE_FIELDS},
                header={n: form[n].data for n in form.HEADER_FIELDS},
                figures=figures, notes=notes)
        except FORM_ERRORS as error:
            figure_errors, errors = _split_errors(form, error)
            return render_template(
                "reports/edit.html", report=report, form=form,
                lines=queries.report_lines(session, report), posted=posted,
                figure_errors=figure_errors, errors=errors), error.status
        flash(_("Đã lưu báo cáo. Khi đã đủ nội dung, hãy bấm “Gửi báo cáo”."), "success")
        return redirect(url_for("reports_pages.report", report_id=report.id))
    if not report.is_editable:
        flash(_("Báo cáo này không sửa được nữa (đã gửi hoặc đã được tiếp nhận)."), "warning")
        return redirect(url_for("reports_pages.report", report_id=report.id))
    return render_template("reports/edit.html", report=report, form=form,
                           lines=queries.report_lines(session, report), posted=posted,
                           figure_errors=figure_errors, errors=errors)


def _split_errors(form, error) -> tuple[dict[str, list[str]], list[str]]:
    """Figure errors by indicator code (shown on their row), the others next to their fields;
    returns (figure errors, messages for the top of the form)."""
    figure_errors: dict[str, list[str]] = {}
    loose = [error.message]
    for key, messages in (error.errors or {}).items():
        kind, _dot, code = key.partition(".")
        if kind in ("figures", "notes") and code:
            figure_errors.setdefault(code, []).extend(messages)
        elif key in form._fields:
            form[key].errors = list(form[key].errors) + list(messages)
        else:
            loose.extend(m for m in messages if m not in loose)
    return figure_errors, loose


def _workflow_action(report_id: int, run, done_message: str):
    form = f.VersionForm()
    try:
        run(version=_version(form))
    except FORM_ERRORS as error:
        flash(error.message, "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("reports_pages.report", report_id=report_id))


@bp.post("/<int:report_id>/refresh")
@login_required
def refresh(report_id: int):
    return _workflow_action(report_id, lambda version: operations.refresh_report(
        _session(), current_principal(), report_id, version=version), _("Đã cập nhật số liệu mới nhất từ hồ sơ. Số nhập tay giữ "
                                   "nguyên."))


@bp.post("/<int:report_id>/submit")
@login_required
def submit(report_id: int):
    return _workflow_action(report_id, lambda version: operations.submit_report(
        _session(), current_principal(), report_id, version=version), _("Đã gửi báo cáo lên cấp trên. Báo cáo sẽ không sửa được "
                                   "trừ khi cấp trên trả lại."))


@bp.post("/<int:report_id>/accept")
@login_required
def accept(report_id: int):
    return _workflow_action(report_id, lambda version: operations.accept_report(
        _session(), current_principal(), report_id, version=version), _("Đã tiếp nhận báo cáo. Số liệu và nội dung được giữ cố "
                                   "định."))


@bp.post("/<int:report_id>/return")
@login_required
def return_(report_id: int):
    session, principal = _session(), current_principal()
    form = f.ReturnForm()
    try:
        operations.return_report(session, principal, report_id, reason=form.reason.data or "",
                                 version=_version(form))
    except FORM_ERRORS as error:
        errors = form.apply_domain_error(error)
        report = queries.get_report(session, principal, report_id)
        return _report_page(report, return_form=form, errors=errors, status=error.status)
    flash(_("Đã trả lại báo cáo kèm lý do. Đơn vị sẽ sửa và gửi lại."), "success")
    return redirect(url_for("reports_pages.report", report_id=report_id))


@bp.get("/<int:report_id>/export.<fmt>")
@login_required
def export_report(report_id: int, fmt: str):
    """The report as DOCX (administrative layout) or XLSX, built at once (it is small)."""
    session = _session()
    report = queries.get_report(session, current_principal(), report_id)
    lines = queries.report_lines(session, report)
    if fmt == "docx":
        parent = session.get(Unit, report.unit.parent_id) if report.unit.parent_id else None
        day = (report.submitted_at or dt.datetime.now(queries.LOCAL_TZ)).astimezone(
            queries.LOCAL_TZ).date()
        data = exports.report_docx(
            report, lines, parent=parent,
            organization_name=report.organization.name if report.organization else None,
            day=day)
        mimetype = exports.DOCX_MIMETYPE
    elif fmt == "xlsx":
        data, mimetype = exports.report_xlsx(report, lines), exports.XLSX_MIMETYPE
    else:
        abort(404)
    name = exports.file_name(report.period, report.unit, "bao-cao", fmt)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name,
                     max_age=0)


# --- a parent's consolidation -------------------------------------------------------------------

@bp.get("/periods/<int:period_id>/units/<int:unit_id>")
@login_required
def consolidation(period_id: int, unit_id: int):
    """How the unit's figures add up: own, residential areas, each child's submitted report or
    — for a child that has not submitted — its live figures, marked as provisional."""
    session, principal = _session(), current_principal()
    org_id = _organization_arg()
    cons = queries.consolidation(session, principal, period_id=period_id, unit_id=unit_id,
                                 organization_id=org_id)
    own_report = queries.find_report(session, period_id=period_id, unit_id=unit_id,
                                     organization_id=org_id)
    indicators = queries.list_indicators(session)
    return render_template(
        "reports/consolidation.html", cons=cons, own_report=own_report, org_id=org_id,
        indicators=indicators, breakdown=_breakdown(cons, indicators), today=_today(),
        can_write=_can(cons.unit, operations.AUTHORS), action_form=f.VersionForm())


def _breakdown(cons, indicators) -> dict[str, tuple[int, int]]:
    """Per indicator: (from submitted reports, from live figures of children not submitted)."""
    result = {}
    for ind in indicators:
        reported = sum(c.figures.get(ind.code, 0) for c in cons.children if c.source == "report")
        live = sum(c.figures.get(ind.code, 0) for c in cons.children if c.source == "live")
        result[ind.code] = (reported, live)
    return result


@bp.post("/periods/<int:period_id>/units/<int:unit_id>/exports")
@login_required
def request_export(period_id: int, unit_id: int):
    """Queue the consolidation's file; the next page shows how far the job has got."""
    org_raw = request.form.get("organization_id", "")
    try:
        export = export_jobs.request_export(
            _session(), current_principal(), period_id=period_id, unit_id=unit_id,
            organization_id=int(org_raw) if org_raw.isdigit() else None,
            fmt=request.form.get("format", ""))
    except ValidationFailed as error:
        flash(error.message, "error")
        return redirect(url_for("reports_pages.consolidation", period_id=period_id,
                                unit_id=unit_id))
    return redirect(url_for("reports_pages.export_status", export_id=export.id))


@bp.get("/exports/<int:export_id>")
@login_required
def export_status(export_id: int):
    export = export_jobs.get_export(_session(), current_principal(), export_id)
    waiting = export.status in (ExportStatus.queued, ExportStatus.running)
    return render_template(
        "reports/export.html", export=export, waiting=waiting,
        period=queries.get_period(_session(), export.period_id),
        unit=_session().get(Unit, export.unit_id), refresh=EXPORT_REFRESH_SECONDS)


@bp.get("/exports/<int:export_id>/download")
@login_required
def export_download(export_id: int):
    """The finished file, streamed through the app (the bucket is never exposed)."""
    export = export_jobs.get_export(_session(), current_principal(), export_id)
    if export.status != ExportStatus.done or not export.object_key:
        flash(_("Tệp chưa tạo xong. Hãy chờ thêm một chút."), "warning")
        return redirect(url_for("reports_pages.export_status", export_id=export.id))
    reader = storage_for(g.tenant, current_app.config["GIAMSAT"]).open(export.object_key)

    def chunks():
        with reader:
            yield from reader

    mimetype = exports.DOCX_MIMETYPE if export.format == "docx" else exports.XLSX_MIMETYPE
    response = Response(stream_with_context(chunks()), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.file_name}"; '
        f"filename*=UTF-8''{quote(export.file_name)}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- ad hoc requests ----------------------------------------------------------------------------

@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def request_ad_hoc():
    """A higher unit asks the units below it for a report with its own due date."""
    principal = current_principal()
    units = [u for u in _reporting_units() if _can(u, operations.REVIEWERS)]
    if not units:
        raise Forbidden(_("Tài khoản của bạn không được yêu cầu báo cáo đột xuất."))
    form = f.AdHocRequestForm()
    form.unit_id.choices = [(str(u.id), u.name) for u in units]
    if form.unit_id.data is None:
        form.unit_id.data = request.args.get("unit", type=int) or units[0].id
    errors: list[str] = []
    if form.is_submitted():
        form.validate()
        if form.check_required():
            try:
                period = operations.request_ad_hoc_report(
                    _session(), principal, unit_id=form.unit_id.data, title=form.title.data,
                    starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                    due_on=form.due_on.data, note=form.note.data or "")
            except FORM_ERRORS as error:
                errors = form.apply_domain_error(error)
                return render_template("reports/request.html", form=form, errors=errors), \
                    error.status
            flash(_("Đã gửi yêu cầu “%(title)s”. Các đơn vị cấp dưới thấy yêu cầu này trong "
                    "lịch báo cáo, hạn nộp %(due)s.", title=period.title,
                    due=period.due_on.strftime("%d/%m/%Y")), "success")
            return redirect(url_for("reports_pages.calendar", unit=form.unit_id.data,
                                    year=period.year))
        return render_template("reports/request.html", form=form, errors=errors), 422
    return render_template("reports/request.html", form=form, errors=errors)


# --- completeness and timeliness ----------------------------------------------------------------

#: Bar segments of the chart, in drawing order: (attribute of Completeness, css class).
CHART_SEGMENTS = (("on_time", "seg-on-time"), ("late", "seg-late"),
                  ("pending", "seg-pending"), ("missing", "seg-missing"))
CHART_LABEL_WIDTH, CHART_BAR_WIDTH, CHART_ROW = 190, 420, 34


@dataclass
class ChartBar:
    label: str
    y: int
    expected: int
    segments: list  # (css class, x, width, count)


def chart_bars(rows, titles: dict) -> list[ChartBar]:
    """Stacked bars, one per period: reports on time, late, not due yet and missing, each as
    wide as its share of the reports expected. Drawn as inline SVG by the template."""
    bars = []
    for index, row in enumerate(rows):
        x, segments = CHART_LABEL_WIDTH, []
        for attr, css in CHART_SEGMENTS:
            count = getattr(row, attr)
            width = round(CHART_BAR_WIDTH * count / row.expected) if row.expected else 0
            if count:
                segments.append((css, x, width, count))
            x += width
        bars.append(ChartBar(titles[row.period.id], 10 + index * CHART_ROW, row.expected,
                             segments))
    return bars


@bp.get("/dashboard")
@login_required
def dashboard():
    """Per period: reports expected from the units below, submitted, on time, late, missing."""
    session, principal = _session(), current_principal()
    units = _reporting_units()
    unit, year = _chosen_unit(units), _year()
    periods = queries.list_periods(session, year=year, principal=principal)
    rows = queries.completeness(session, principal, unit_id=unit.id,
                                period_ids=[p.id for p in periods])
    bars = chart_bars(rows, {p.id: p.title for p in periods})
    return render_template(
        "reports/dashboard.html", unit=unit, units=units, year=year, rows=rows, bars=bars,
        chart=dict(label=CHART_LABEL_WIDTH, bar=CHART_BAR_WIDTH, row=CHART_ROW,
                   height=20 + CHART_ROW * len(bars), width=CHART_LABEL_WIDTH
                   + CHART_BAR_WIDTH + 60),
        segments=CHART_SEGMENTS)


@bp.get("/dashboard/<int:period_id>")
@login_required
def dashboard_period(period_id: int):
    """Drill-down: each child unit, its own report and how complete its subtree is."""
    session, principal = _session(), current_principal()
    units = _reporting_units()
    unit = _chosen_unit(units)
    period = queries.get_period(session, period_id, principal)
    children = queries.completeness_by_child(session, principal, unit_id=unit.id,
                                             period_id=period.id)
    return render_template("reports/dashboard_period.html", unit=unit, period=period,
                           children=children, today=_today())


# --- how the figures are computed ---------------------------------------------------------------

@bp.get("/indicators")
@login_required
def indicators():
    """Every indicator with how it is computed from the records, or that it is entered by hand."""
    return render_template("reports/indicators.html",
                           indicators=queries.list_indicators(_session()),
                           PeriodKind=PeriodKind)
