"""Reports returned, accepted and requested ad hoc; a letter whose OCR failed for good."""

from __future__ import annotations

import datetime as dt

from giamsat.cases import operations as case_operations
from giamsat.core import clock, events
from giamsat.letters import jobs as letter_jobs
from giamsat.letters import ocr
from giamsat.letters.models import (
    BoxOpening,
    BoxStatus,
    Letter,
    OcrStatus,
    SealCondition,
    SuggestionBox,
)
from giamsat.reports import operations as report_operations
from giamsat.reports.events import ReportChanged
from giamsat.reports.models import PeriodKind, Report, ReportPeriod, ReportStatus
from tests.plugins.notifications import all_notifications, by_user


def _report(session, unit_id) -> Report:
    period = ReportPeriod(
        kind=PeriodKind.quarterly,
        year=2026,
        number=3,
        title="Báo cáo quý III năm 2026",
        starts_on=dt.date(2026, 6, 15),
        ends_on=dt.date(2026, 9, 14),
        due_on=dt.date(2026, 9, 20),
    )
    session.add(period)
    session.flush()
    report = Report(period_id=period.id, unit_id=unit_id, status=ReportStatus.submitted)
    session.add(report)
    session.flush()
    return report


def test_a_returned_then_accepted_report_notifies_its_unit_each_time(
    world, in_tenant, job_runtime, drain, tenant_session, emails, mailbox
):
    with in_tenant("alpha") as session:
        report = _report(session, world.alpha.commune_y)
        events.emit(session, ReportChanged(report=report, action="return", reason="Thiếu số liệu"))
        session.commit()
    drain()
    with in_tenant("alpha") as session:  # sent again, returned again: a second notice
        events.emit(
            session,
            ReportChanged(report=session.get(Report, report.id), action="return", reason="Lại"),
        )
        session.commit()
    drain()
    with in_tenant("alpha") as session:
        events.emit(session, ReportChanged(report=session.get(Report, report.id), action="accept"))
        session.commit()
    drain()
    assert by_user(all_notifications(tenant_session, "alpha"), world, "alpha") == {
        "y-admin": ["report_returned", "report_returned", "report_accepted"]
    }
    subjects = [m["Subject"] for m in mailbox.messages]
    assert (
        subjects[-1] == "[Giám sát MTTQ] Cấp trên đã tiếp nhận báo cáo “Báo cáo quý III năm 2026”."
    )
    assert len(subjects) == 3
    assert f"/t/alpha/reports/{report.id}" in mailbox.messages[0].get_content()


def test_an_ad_hoc_request_notifies_the_units_below(
    world, in_tenant, principal_of, job_runtime, drain, tenant_session
):
    today = clock.today()
    with in_tenant("alpha") as session:
        report_operations.request_ad_hoc_report(
            session,
            principal_of("alpha", "admin"),
            unit_id=world.alpha.province,
            title="Báo cáo nhanh về mưa lũ",
            starts_on=today - dt.timedelta(days=30),
            ends_on=today,
            due_on=today + dt.timedelta(days=5),
        )
        session.commit()
    drain()
    assert by_user(all_notifications(tenant_session, "alpha"), world, "alpha") == {
        "x-admin": ["report_requested"],
        "x-staff": ["report_requested"],
        "x-reader": ["report_requested"],
        "y-admin": ["report_requested"],
    }


def test_a_letter_whose_ocr_failed_for_good_notifies_the_commune(
    world, catalogue, principal_of, in_tenant, job_runtime, drain, tenant_session, monkeypatch
):
    staff = principal_of("alpha", "x-staff")
    with in_tenant("alpha") as session:
        box = SuggestionBox(
            unit_id=world.alpha.area_x,
            label_code="HT-01",
            location="Thôn Một",
            keeper="Tổ trưởng",
            installed_on=dt.date(2026, 1, 1),
            status=BoxStatus.active,
        )
        session.add(box)
        session.flush()
        opening = BoxOpening(
            box_id=box.id,
            unit_id=world.alpha.area_x,
            opened_at=dt.datetime(2026, 11, 2, 3, tzinfo=dt.UTC),
            witnesses=["A", "B"],
            seal_condition=SealCondition.intact,
            letters_found=1,
        )
        session.add(opening)
        case = case_operations.receive_case(
            session,
            staff,
            unit_id=world.alpha.commune_x,
            received_on=clock.today(),
            channel="suggestion_box",
            kind="petition",
            title="Thư trong hòm thôn Một",
            content="Nội dung thư.",
            tag_codes=("CV",),
        )
        session.flush()
        letter = Letter(
            opening_id=opening.id,
            box_id=box.id,
            unit_id=world.alpha.commune_x,
            case_id=case.id,
            ocr_status=OcrStatus.failed,
            ocr_attempts=1,
        )
        session.add(letter)
        session.commit()

    def fail(*_args):
        raise ocr.OcrFailed("ảnh quá mờ")

    monkeypatch.setattr(letter_jobs, "read_letter", fail)
    for attempt in (2, 3):
        with in_tenant("alpha") as session:
            try:
                outcome = letter_jobs.process_letter(session, None, letter.id)
            except ocr.OcrFailed:
                outcome = "retry"
            session.commit()
        assert outcome == ("retry" if attempt < 3 else "failed")
    drain()
    notes = all_notifications(tenant_session, "alpha")
    assert by_user(notes, world, "alpha") == {
        "x-admin": ["letter_ocr_failed"],
        "x-staff": ["letter_ocr_failed"],
        "x-reader": ["letter_ocr_failed"],
    }
    assert notes[0].link_values == {"letter_id": letter.id}
    assert notes[0].params == {"number": case.number}


def test_a_letter_read_by_ocr_notifies_the_commune(
    world, catalogue, principal_of, in_tenant, job_runtime, drain, tenant_session, monkeypatch
):
    """The upload page promises the text "by itself": when OCR is done, the commune hears."""
    staff = principal_of("alpha", "x-staff")
    with in_tenant("alpha") as session:
        box = SuggestionBox(
            unit_id=world.alpha.area_x,
            label_code="HT-02",
            location="Thôn Một",
            keeper="Tổ trưởng",
            installed_on=dt.date(2026, 1, 1),
            status=BoxStatus.active,
        )
        session.add(box)
        session.flush()
        opening = BoxOpening(
            box_id=box.id,
            unit_id=world.alpha.area_x,
            opened_at=dt.datetime(2026, 11, 2, 3, tzinfo=dt.UTC),
            witnesses=["A", "B"],
            seal_condition=SealCondition.intact,
            letters_found=1,
        )
        session.add(opening)
        case = case_operations.receive_case(
            session,
            staff,
            unit_id=world.alpha.commune_x,
            received_on=clock.today(),
            channel="suggestion_box",
            kind="petition",
            title="Thư đọc được",
            content="Nội dung thư.",
            tag_codes=("CV",),
        )
        session.flush()
        letter = Letter(
            opening_id=opening.id,
            box_id=box.id,
            unit_id=world.alpha.commune_x,
            case_id=case.id,
            ocr_status=OcrStatus.queued,
        )
        session.add(letter)
        session.commit()

    def read(_session, _storage, found):
        found.ocr_status = OcrStatus.done

    monkeypatch.setattr(letter_jobs, "read_letter", read)
    with in_tenant("alpha") as session:
        assert letter_jobs.process_letter(session, None, letter.id) == "done"
        session.commit()
    drain()
    notes = all_notifications(tenant_session, "alpha")
    assert by_user(notes, world, "alpha") == {
        "x-admin": ["letter_ocr_done"],
        "x-staff": ["letter_ocr_done"],
        "x-reader": ["letter_ocr_done"],
    }
    assert notes[0].link_values == {"letter_id": letter.id}
    # Commune Y and the other tenant hear nothing of X's letter.
    assert all_notifications(tenant_session, "beta") == []
