"""The daily sweep: response deadlines in WORKING days, report deadlines at 7 and 1 calendar
days, overdue reports, cases, recommendations and box openings — each reminder once."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.cases import operations
from giamsat.cases.models import Case, DeadlineClock, DeadlineRule, RecipientKind
from giamsat.core import clock
from giamsat.letters.models import BoxStatus, SuggestionBox
from giamsat.notifications.jobs import sweep_reminders
from giamsat.reports.models import PeriodKind, Report, ReportPeriod, ReportStatus
from giamsat.supervision.models import (
    AddresseeKind,
    ExpectedAnswer,
    Recommendation,
    RecommendationStatus,
)
from giamsat.units.models import TenantRule
from tests.plugins.notifications import all_notifications, by_user

FRIDAY = dt.date(2026, 12, 4)
#: Three working days after Friday 4 December 2026 (Mon 7, Tue 8, Wed 9): five calendar days.
WEDNESDAY = dt.date(2026, 12, 9)


def _sweep(tenant_id: int, day: dt.date):
    return sweep_reminders(tenant_id=tenant_id, day=day.isoformat())


@pytest.fixture()
def forwarded_case(world, catalogue, principal_of, in_tenant):
    """A case of commune X waiting for the competent body's answer, due on `due_on`."""

    def make(due_on: dt.date) -> Case:
        staff = principal_of("alpha", "x-staff")
        with in_tenant("alpha") as session:
            case = operations.receive_case(
                session,
                staff,
                unit_id=world.alpha.commune_x,
                received_on=clock.today(),
                channel="in_person",
                kind="petition",
                title="Đèn đường thôn Hai",
                content="Nội dung.",
                tag_codes=("CV",),
            )
            operations.start_verification(session, staff, case.id)
            operations.forward_case(
                session,
                staff,
                case.id,
                recipient_kind=RecipientKind.authority,
                recipient_name="UBND xã X",
            )
            session.get(Case, case.id).due_on = due_on
            session.commit()
        return case

    return make


def _kinds(tenant_session, world):
    return by_user(all_notifications(tenant_session, "alpha"), world, "alpha")


def test_a_case_due_in_three_working_days_is_reminded_counting_working_days(
    world, forwarded_case, job_runtime, tenant_session, drain
):
    case = forwarded_case(WEDNESDAY)
    drain()  # the forward notification itself
    before = len(all_notifications(tenant_session, "alpha"))

    # Thursday: four working days before Wednesday — not yet (calendar days would say 6).
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 3)) == {}
    # Friday: five calendar days but three working days: reminded.
    assert _sweep(world.alpha.tenant_id, FRIDAY) == {"case_due_soon": 3}
    [due] = [
        n
        for n in all_notifications(tenant_session, "alpha")
        if n.kind == "case_due_soon" and n.user_id == world.alpha.users["x-staff"]
    ]
    assert (due.params["days"], due.event_key) == (3, f"case:{case.id}:due:2026-12-09")
    # Run again, or a day later: nothing new.
    assert _sweep(world.alpha.tenant_id, FRIDAY) == {}
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 7)) == {}
    # Past due: one overdue notice per user, once.
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 10)) == {"case_overdue": 3}
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 11)) == {}
    assert len(all_notifications(tenant_session, "alpha")) == before + 6


def test_the_reminder_window_is_the_deadline_rules(
    world, forwarded_case, job_runtime, tenant_session
):
    case = forwarded_case(WEDNESDAY)
    with tenant_session("alpha") as s:
        s.get(DeadlineRule, s.get(Case, case.id).deadline_rule_id).reminder_days = 5
        s.commit()
    # Six calendar days / five working days before (Tet is not involved): reminded already.
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 2)) == {"case_due_soon": 3}


def test_a_calendar_day_rule_reminds_in_calendar_days(
    world, forwarded_case, job_runtime, tenant_session
):
    case = forwarded_case(WEDNESDAY)
    with tenant_session("alpha") as s:
        rule = s.get(DeadlineRule, s.get(Case, case.id).deadline_rule_id)
        rule.clock, rule.reminder_days = DeadlineClock.calendar_days, 5
        s.commit()
    # Thursday is six calendar days before: not yet; Friday is five: reminded, the notice
    # still saying how many working days are left.
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 3)) == {}
    assert _sweep(world.alpha.tenant_id, FRIDAY) == {"case_due_soon": 3}
    [due] = [
        n
        for n in all_notifications(tenant_session, "alpha")
        if n.kind == "case_due_soon" and n.user_id == world.alpha.users["x-staff"]
    ]
    assert due.params["days"] == 3


def test_a_case_without_a_rule_uses_the_tenant_window(
    world, forwarded_case, job_runtime, tenant_session
):
    case = forwarded_case(WEDNESDAY)
    with tenant_session("alpha") as s:
        s.get(Case, case.id).deadline_rule_id = None  # a due date from before the table
        s.add(TenantRule(key="reminder_days_before_due", value=5))
        s.commit()
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 2)) == {"case_due_soon": 3}


def test_recommendations_due_and_overdue(world, job_runtime, tenant_session):
    with tenant_session("alpha") as s:
        rec = Recommendation(
            unit_id=world.alpha.commune_x,
            organization_id=world.alpha.org_mttq,
            addressee_kind=AddresseeKind.authority,
            addressee_name="UBND xã X",
            content="Nội dung kiến nghị riêng.",
            issued_on=dt.date(2026, 11, 1),
            expected_answer=ExpectedAnswer.accept,
            due_on=WEDNESDAY,
            status=RecommendationStatus.awaiting,
        )
        s.add(rec)
        s.commit()
    assert _sweep(world.alpha.tenant_id, FRIDAY) == {"recommendation_due_soon": 3}
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 10)) == {"recommendation_overdue": 3}
    kinds = _kinds(tenant_session, world)
    assert kinds["x-reader"] == ["recommendation_due_soon", "recommendation_overdue"]
    assert all("riêng" not in n.title for n in all_notifications(tenant_session, "alpha"))
    with tenant_session("alpha") as s:  # answered: no more reminders
        s.get(Recommendation, rec.id).status = RecommendationStatus.answered_accepted
        s.get(Recommendation, rec.id).due_on = dt.date(2026, 12, 15)
        s.commit()
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 16)) == {}


def test_reports_are_reminded_7_and_1_days_before_and_when_overdue(
    world, job_runtime, tenant_session
):
    due = dt.date(2026, 12, 14)
    with tenant_session("alpha") as s:
        period = ReportPeriod(
            kind=PeriodKind.quarterly,
            year=2026,
            number=4,
            title="Báo cáo quý IV năm 2026",
            starts_on=dt.date(2026, 9, 15),
            ends_on=dt.date(2026, 12, 14),
            due_on=due,
        )
        s.add(period)
        s.flush()
        # Commune Y already submitted: only commune X is reminded.
        s.add(
            Report(
                period_id=period.id, unit_id=world.alpha.commune_y, status=ReportStatus.submitted
            )
        )
        s.commit()
    tid = world.alpha.tenant_id
    assert _sweep(tid, due - dt.timedelta(days=8)) == {}
    assert _sweep(tid, due - dt.timedelta(days=7)) == {"report_due_soon": 3}
    assert _sweep(tid, due - dt.timedelta(days=5)) == {}  # still the 7-day reminder
    assert _sweep(tid, due - dt.timedelta(days=1)) == {"report_due_soon": 3}
    assert _sweep(tid, due) == {}
    assert _sweep(tid, due + dt.timedelta(days=1)) == {"report_overdue": 3}
    assert _sweep(tid, due + dt.timedelta(days=2)) == {}
    kinds = _kinds(tenant_session, world)
    assert kinds["x-staff"] == ["report_due_soon", "report_due_soon", "report_overdue"]
    assert "y-admin" not in kinds and "admin" not in kinds  # Y submitted; the province reports
    days = [
        n.params.get("days")
        for n in all_notifications(tenant_session, "alpha")
        if n.user_id == world.alpha.users["x-staff"]
    ]
    assert days == [7, 1, None]


def test_an_overdue_box_opening_reminds_the_commune(world, job_runtime, tenant_session):
    with tenant_session("alpha") as s:
        box = SuggestionBox(
            unit_id=world.alpha.area_x,
            label_code="HT-X-01",
            location="Nhà văn hóa thôn Một",
            keeper="Ông Tổ trưởng",
            installed_on=dt.date(2026, 1, 5),
            status=BoxStatus.active,
        )
        s.add(box)
        s.commit()
    created = _sweep(world.alpha.tenant_id, dt.date(2026, 12, 1))
    assert created == {"box_opening_overdue": 3}  # the area's commune X: admin, staff, reader
    [n] = [
        n
        for n in all_notifications(tenant_session, "alpha")
        if n.user_id == world.alpha.users["x-admin"]
    ]
    assert n.unit_id == world.alpha.commune_x and n.title.startswith("HT-X-01")
    assert n.link_endpoint == "letters_pages.openings"
    assert _sweep(world.alpha.tenant_id, dt.date(2026, 12, 2)) == {}
    assert all_notifications(tenant_session, "beta") == []
