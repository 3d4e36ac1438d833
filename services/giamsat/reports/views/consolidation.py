"""A parent's consolidation and its files: the page, the export request (a job builds the
file), the waiting page that follows the job, and the download."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _

from giamsat.core import clock
from giamsat.core.errors import ValidationFailed
from giamsat.core.storage import storage_for
from giamsat.core.vietnamese import matches
from giamsat.http.pages import done, paginate_items, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.reports import export_jobs, exports, operations, queries
from giamsat.reports import forms as f
from giamsat.reports import labels as rp
from giamsat.reports.models import ExportStatus
from giamsat.reports.views import bp
from giamsat.reports.views.common import can, organization_arg, organization_field
from giamsat.tenancy.manifest import REORGANIZATION_DAY
from giamsat.units.models import Unit

#: Children per page of the consolidation's table.
CHILDREN_PAGE = 30
#: Seconds between two looks of the export page at its job's progress.
EXPORT_REFRESH_SECONDS = 2


@bp.get("/periods/<int:period_id>/units/<int:unit_id>")
@login_required
def consolidation(period_id: int, unit_id: int):
    """How the unit's figures add up: own, residential areas, each child's submitted report or
    — for a child that has not submitted — its live figures, marked as provisional."""
    session, principal = tenant_session(), current_principal()
    org_id = organization_arg()
    cons = queries.consolidation(
        session, principal, period_id=period_id, unit_id=unit_id, organization_id=org_id
    )
    own_report = queries.find_report(
        session, period_id=period_id, unit_id=unit_id, organization_id=org_id
    )
    indicators = queries.list_indicators(session)
    # 129 communes and more: the children's table is searched and paged; the totals below
    # still add up every child.
    query = request.args.get("q", "")[:100].strip()
    shown = [c for c in cons.children if matches(query, c.unit.name)]
    return render_template(
        "reports/consolidation.html",
        cons=cons,
        children=paginate_items(shown, page_size=CHILDREN_PAGE),
        query=query,
        own_report=own_report,
        org_id=org_id,
        indicators=indicators,
        breakdown=_breakdown(cons, indicators),
        today=clock.today(),
        # A period of the old tree: its figures can also be read under today's units.
        before_reform=cons.period.ends_on < REORGANIZATION_DAY,
        can_write=can(cons.unit, operations.AUTHORS),
        action_form=f.VersionForm(),
    )


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
    """Queue the consolidation's file; the next page shows how far the job has got.

    Hand-written: a button on the consolidation page — a refusal is flashed there."""
    try:
        export = export_jobs.request_export(
            tenant_session(),
            current_principal(),
            period_id=period_id,
            unit_id=unit_id,
            organization_id=organization_field(),
            fmt=request.form.get("format", ""),
        )
    except ValidationFailed as error:
        flash(error.message, "error")
        return redirect(
            url_for("reports_pages.consolidation", period_id=period_id, unit_id=unit_id)
        )
    return redirect(url_for("reports_pages.export_status", export_id=export.id))


@bp.get("/exports/<int:export_id>")
@login_required
def export_status(export_id: int):
    session = tenant_session()
    export = export_jobs.get_export(session, current_principal(), export_id)
    waiting = export.status in (ExportStatus.queued, ExportStatus.running)
    return render_template(
        "reports/export.html",
        export=export,
        waiting=waiting,
        period=queries.get_period(session, export.period_id),
        unit=session.get(Unit, export.unit_id),
        refresh=EXPORT_REFRESH_SECONDS,
    )


@bp.get("/exports/<int:export_id>/status.json")
@login_required
def export_progress(export_id: int):
    """How far the export is, for the waiting page's script (site.js) to follow."""
    export = export_jobs.get_export(tenant_session(), current_principal(), export_id)
    return jsonify(
        status=export.status.value,
        progress=export.progress,
        label=f"{rp.EXPORT_STATUS_LABELS[export.status]} — {export.progress}%",
        finished=export.status not in (ExportStatus.queued, ExportStatus.running),
    )


@bp.get("/exports/<int:export_id>/download")
@login_required
def export_download(export_id: int):
    """The finished file, streamed through the app (the bucket is never exposed)."""
    export = export_jobs.get_export(tenant_session(), current_principal(), export_id)
    if export.status != ExportStatus.done or not export.object_key:
        return done(
            _("Tệp chưa tạo xong. Hãy chờ thêm một chút."),
            url_for("reports_pages.export_status", export_id=export.id),
            "warning",
        )
    reader = storage_for(g.tenant, current_app.config["GIAMSAT"]).open(export.object_key)

    def chunks():
        with reader:
            yield from reader

    mimetype = exports.DOCX_MIMETYPE if export.format == "docx" else exports.XLSX_MIMETYPE
    response = Response(stream_with_context(chunks()), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{export.file_name}\"; filename*=UTF-8''{quote(export.file_name)}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
