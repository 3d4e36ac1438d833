"""A consolidation export built by a job tells the one who asked when it is ready or failed."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.reports import export_jobs
from giamsat.reports.models import (
    ExportStatus,
    PeriodKind,
    ReportExport,
    ReportPeriod,
)
from giamsat.tenancy.context import tenant_context
from tests.plugins.notifications import all_notifications, by_user

TITLE = "Báo cáo quý III năm 2026"


class _Bucket:
    def __init__(self):
        self.keys: list[str] = []

    def put(self, key, data, *, length, content_type):
        self.keys.append(key)


def _export(tenant_session, world, who: str) -> int:
    with tenant_session("alpha") as session:
        period = ReportPeriod(
            kind=PeriodKind.quarterly,
            year=2026,
            number=3,
            title=TITLE,
            starts_on=dt.date(2026, 6, 15),
            ends_on=dt.date(2026, 9, 14),
            due_on=dt.date(2026, 9, 20),
        )
        session.add(period)
        session.flush()
        export = ReportExport(
            unit_id=world.alpha.commune_x,
            period_id=period.id,
            format="xlsx",
            status=ExportStatus.queued,
            progress=0,
            requested_by_id=world.alpha.users[who],
        )
        session.add(export)
        session.commit()
        return export.id


def _run(db, tenants, export_id: int) -> None:
    with tenant_context(db, tenants["alpha"]) as scope:
        assert export_jobs.build_export.__wrapped__(scope.session, scope, export_id=export_id)
        scope.session.commit()


def test_a_finished_export_notifies_only_the_one_who_asked(
    world, db, tenants, tenant_session, job_runtime, drain, emails, monkeypatch
):
    bucket = _Bucket()
    monkeypatch.setattr(export_jobs, "storage_for", lambda tenant, settings: bucket)
    export_id = _export(tenant_session, world, "x-staff")
    _run(db, tenants, export_id)
    assert bucket.keys
    ran = drain()
    notes = all_notifications(tenant_session, "alpha")
    # Not the commune's other users: the file is the requester's to fetch.
    assert by_user(notes, world, "alpha") == {"x-staff": ["report_export_done"]}
    assert notes[0].link_endpoint == "reports_pages.export_status"
    assert notes[0].link_values == {"export_id": export_id}
    assert notes[0].title == TITLE
    # The existing channels: an immediate email is sent to the requester.
    assert [name for name, _args, _result in ran].count("send_email") == 1
    assert all_notifications(tenant_session, "beta") == []


def test_a_failed_export_notifies_the_requester_once_over_retries(
    world, db, tenants, tenant_session, job_runtime, drain, monkeypatch
):
    def broken(session, export, progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "_build", broken)
    export_id = _export(tenant_session, world, "x-admin")
    for _attempt in range(2):  # RQ retries: the requester hears of it once
        with pytest.raises(RuntimeError):
            _run(db, tenants, export_id)
    drain()
    notes = all_notifications(tenant_session, "alpha")
    assert by_user(notes, world, "alpha") == {"x-admin": ["report_export_failed"]}
    with tenant_session("alpha") as check:
        export = check.get(ReportExport, export_id)
        assert export.status == ExportStatus.failed and export.error
