"""Consolidation exports built by a job (a province has a hundred and more children), with
progress the page polls: a `report_exports` row the job moves from queued to done.

The job's own writes commit once at its end (jobs/decorators.py), so progress is written through
a second, short session that commits at once — that is what the waiting page sees.
"""

from __future__ import annotations

import logging
from io import BytesIO

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from giamsat.core import audit, clock, events
from giamsat.core.db import utcnow
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.core.storage import new_key, storage_for
from giamsat.jobs.decorators import tenant_job
from giamsat.jobs.outbox import record_job
from giamsat.jobs.runtime import current_runtime
from giamsat.reports import exports
from giamsat.reports.events import ReportExportFinished
from giamsat.reports.models import ExportStatus, ReportExport
from giamsat.reports.queries.consolidation import build_consolidation
from giamsat.reports.queries.periods import get_period, list_indicators
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_unit, scoped

log = logging.getLogger(__name__)

EXPORT_JOB = "giamsat.reports.export_jobs.build_export"
FORMATS = ("docx", "xlsx")
#: Progress is written at most every this many percent: a province's 170 children are not 170
#: commits.
PROGRESS_STEP = 5


def request_export(
    session: Session,
    principal,
    *,
    period_id: int,
    unit_id: int,
    organization_id: int | None,
    fmt: str,
) -> ReportExport:
    """Queue the consolidation export of a visible unit; the job runs after this commits.

    NotFound for an invisible unit or period; ValidationFailed for an unknown format."""
    unit = get_unit(session, unit_id, principal)
    period = get_period(session, period_id, principal)
    if fmt not in FORMATS:
        raise ValidationFailed("Hãy chọn tệp Word (DOCX) hoặc Excel (XLSX).", field="format")
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise ValidationFailed("Tổ chức không có ở tỉnh này.", field="organization_id")
    export = ReportExport(
        unit_id=unit.id,
        period_id=period.id,
        organization_id=organization_id,
        format=fmt,
        status=ExportStatus.queued,
        progress=0,
        requested_by_id=principal.user_id,
    )
    session.add(export)
    session.flush()
    audit.record(
        session,
        principal,
        action="export",
        object_type="report_export",
        object_id=export.id,
        changes={"format": [None, fmt], "period_id": [None, period.id], "unit_id": [None, unit.id]},
    )
    record_job(session, EXPORT_JOB, export_id=export.id)
    return export


def get_export(session: Session, principal, export_id: int) -> ReportExport:
    """An export of a visible unit; NotFound for a missing or invisible one alike."""
    export = session.scalar(
        scoped(
            select(ReportExport).where(ReportExport.id == export_id),
            ReportExport.unit_id,
            principal,
        )
    )
    if export is None:
        raise NotFound("Không tìm thấy tệp tải về.")
    return export


class ProgressWriter:
    """Writes the progress of one export in its own short transactions."""

    def __init__(self, schema: str, export_id: int):
        self.schema, self.export_id, self.last = schema, export_id, -PROGRESS_STEP

    def set(self, percent: int, **values) -> None:
        percent = max(0, min(100, int(percent)))
        if percent - self.last < PROGRESS_STEP and not values:
            return
        self.last = percent
        with current_runtime().database.session(self.schema) as progress:
            progress.execute(
                update(ReportExport)
                .where(ReportExport.id == self.export_id)
                .values(progress=percent, **values)
            )
            progress.commit()

    def __call__(self, done: int, total: int) -> None:
        # Building the file is most of the work; uploading is the last 10 %.
        self.set(5 + 85 * done // max(total, 1))


@tenant_job(queue="aggregation")
def build_export(session: Session, tenant, *, export_id: int) -> str:
    """Build the file, put it in the tenant's bucket, mark the export done."""
    export = session.get(ReportExport, export_id)
    if export is None or export.status == ExportStatus.done:
        return "nothing to do"
    writer = ProgressWriter(tenant.schema_name, export.id)
    writer.set(1, status=ExportStatus.running)
    try:
        data, name, mimetype = _build(session, export, writer)
        key = new_key("reports/exports")
        storage_for(tenant, current_runtime().settings).put(
            key, BytesIO(data), length=len(data), content_type=mimetype
        )
    except Exception as error:
        log.warning("report export %s failed: %s", export_id, type(error).__name__)
        _record_failure(session, export_id)
        raise
    export.status, export.progress, export.error = ExportStatus.done, 100, ""
    export.object_key, export.file_name, export.finished_at = key, name, utcnow()
    session.flush()
    # Committed with the file by the job: whoever asked need not keep the page open.
    events.emit(session, ReportExportFinished(export=export, ok=True))
    return "done"


def _record_failure(session: Session, export_id: int) -> None:
    """Shown on the waiting page, and the requester hears of it (the event key makes retries
    say it once; a retry starts over). The job's transaction is rolled back when it re-raises,
    so the failure commits on its own."""
    session.rollback()
    session.execute(
        update(ReportExport)
        .where(ReportExport.id == export_id)
        .values(
            status=ExportStatus.failed,
            progress=0,
            error="Không tạo được tệp. Hệ thống sẽ tự thử lại sau ít phút.",
        )
    )
    export = session.get(ReportExport, export_id, populate_existing=True)
    if export is not None:
        events.emit(session, ReportExportFinished(export=export, ok=False))
    session.commit()


def _build(session: Session, export: ReportExport, progress) -> tuple[bytes, str, str]:
    unit = session.get(Unit, export.unit_id)
    period = get_period(session, export.period_id)
    cons = build_consolidation(session, period, unit, export.organization_id, clock.today())
    indicators = list_indicators(session)
    progress(0, 1)
    name = exports.file_name(period, unit, "tong-hop", export.format)
    if export.format == "xlsx":
        return (
            exports.consolidation_xlsx(cons, indicators, progress=progress),
            name,
            exports.XLSX_MIMETYPE,
        )
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    org = session.get(Organization, export.organization_id) if export.organization_id else None
    data = exports.consolidation_docx(
        cons,
        indicators,
        parent=parent,
        organization=org,
        day=clock.today(),
        progress=progress,
    )
    return data, name, exports.DOCX_MIMETYPE
