"""The report calendar: seed deadlines, configurable cut-offs, idempotent generation, ad hoc."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from giamsat.core.errors import Forbidden, ValidationFailed
from giamsat.reports import operations, queries
from giamsat.reports.calendar import calendar_rules, ensure_periods, periods_for_year
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.units.models import TenantRule
from tests.plugins.reports import TODAY, period_of

D = dt.date


def test_seed_deadlines_and_default_cut_offs(alpha):
    q = [period_of(alpha, PeriodKind.quarterly, 2026, n) for n in range(1, 5)]
    # Due "before the 20th of the quarter's last month": the 19th is the last day on time.
    assert [p.due_on for p in q] == [
        D(2026, 3, 19),
        D(2026, 6, 19),
        D(2026, 9, 19),
        D(2026, 12, 19),
    ]
    # Records run from the cut-off day (15th of the quarter's last month) to the day before the
    # next one: quarters tile the year with no gap and no overlap.
    assert (q[0].starts_on, q[0].ends_on) == (D(2025, 12, 15), D(2026, 3, 14))
    for earlier, later in zip(q, q[1:], strict=False):
        assert later.starts_on == earlier.ends_on + dt.timedelta(days=1)
    half = period_of(alpha, PeriodKind.six_monthly, 2026)
    assert (half.starts_on, half.ends_on, half.due_on) == (
        D(2025, 12, 15),
        D(2026, 6, 14),
        D(2026, 6, 19),
    )
    year = period_of(alpha, PeriodKind.yearly, 2026)
    # The yearly report is due before 15/12 and covers 15/12/2025–14/12/2026: complete in time.
    assert (year.starts_on, year.ends_on, year.due_on) == (
        D(2025, 12, 15),
        D(2026, 12, 14),
        D(2026, 12, 14),
    )
    assert year.title == "Năm 2026" and q[2].title == "Quý III năm 2026"
    # Both seeded years, six periods each.
    assert alpha.scalar(select(func.count()).select_from(ReportPeriod)) == 12


def test_deadlines_and_cut_offs_come_from_the_tenant_rules(alpha):
    alpha.add_all(
        [
            TenantRule(
                key="report_deadline_quarterly", value={"month_of_quarter": 1, "before_day": 10}
            ),
            TenantRule(key="report_deadline_yearly", value={"month": 1, "before_day": 5}),
            TenantRule(key="report_cutoff_quarterly", value={"month_of_quarter": 3, "day": 1}),
            TenantRule(key="report_cutoff_yearly", value={"month": 12, "day": 31}),
        ]
    )
    alpha.flush()
    specs = {(s.kind, s.number): s for s in periods_for_year(calendar_rules(alpha), 2030)}
    q1 = specs[(PeriodKind.quarterly, 1)]
    assert (q1.starts_on, q1.ends_on, q1.due_on) == (D(2029, 12, 1), D(2030, 2, 28), D(2030, 1, 9))
    year = specs[(PeriodKind.yearly, 1)]
    assert (year.starts_on, year.ends_on, year.due_on) == (
        D(2029, 12, 31),
        D(2030, 12, 30),
        D(2030, 1, 4),
    )
    # Unconfigured kinds keep the seed default.
    assert specs[(PeriodKind.six_monthly, 1)].due_on == D(2030, 6, 19)


def test_generation_is_idempotent_and_keeps_existing_periods(alpha):
    q1 = period_of(alpha, PeriodKind.quarterly, 2026, 1)
    q1.due_on = D(2026, 3, 25)  # e.g. extended by the province
    assert ensure_periods(alpha, [2026, 2027]) == []
    assert period_of(alpha, PeriodKind.quarterly, 2026, 1).due_on == D(2026, 3, 25)
    assert len(ensure_periods(alpha, [2028])) == 6


def test_ad_hoc_request_has_its_own_window_and_due_date(alpha, world, principal, leader_at):
    province_leader = leader_at(alpha, world.alpha.province)
    period = operations.request_ad_hoc_report(
        alpha,
        province_leader,
        unit_id=world.alpha.province,
        title="Báo cáo nhanh vụ việc",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 1, 31),
        due_on=D(2026, 2, 5),
        today=TODAY,
    )
    assert (period.kind, period.due_on, period.requested_by_unit_id) == (
        PeriodKind.ad_hoc,
        D(2026, 2, 5),
        world.alpha.province,
    )
    # Visible below the requester (commune X) and at it; ad hoc periods of others are not.
    x_admin = principal(alpha, "x-admin")
    assert period.id in [p.id for p in queries.list_periods(alpha, principal=x_admin)]
    x_period = operations.request_ad_hoc_report(
        alpha,
        leader_at(alpha, world.alpha.commune_x),
        unit_id=world.alpha.commune_x,
        title="Riêng xã X",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 1, 31),
        due_on=D(2026, 2, 5),
        today=TODAY,
    )
    y_admin = principal(alpha, "y-admin")
    visible_to_y = [p.id for p in queries.list_periods(alpha, principal=y_admin)]
    assert period.id in visible_to_y and x_period.id not in visible_to_y
    # The requesting unit itself does not report to itself; units below it do.
    with pytest.raises(ValidationFailed) as error:
        operations.open_report(
            alpha, province_leader, period_id=period.id, unit_id=world.alpha.province
        )
    assert "unit_id" in error.value.errors
    report, created = operations.open_report(
        alpha, x_admin, period_id=period.id, unit_id=world.alpha.commune_x
    )
    assert created and report.period.kind == PeriodKind.ad_hoc


def test_ad_hoc_request_rules(alpha, world, principal, leader_at):
    with pytest.raises(Forbidden):  # staff cannot ask for reports
        operations.request_ad_hoc_report(
            alpha,
            principal(alpha, "x-staff"),
            unit_id=world.alpha.commune_x,
            title="T",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 1, 31),
            due_on=D(2026, 2, 5),
            today=TODAY,
        )
    with pytest.raises(ValidationFailed) as error:
        operations.request_ad_hoc_report(
            alpha,
            leader_at(alpha, world.alpha.province),
            unit_id=world.alpha.province,
            title=" ",
            starts_on=D(2026, 2, 1),
            ends_on=D(2026, 1, 1),
            due_on=D(2026, 1, 1),
            today=TODAY,
        )
    assert set(error.value.errors) == {"title", "ends_on", "due_on"}
    alpha.add(TenantRule(key="report_ad_hoc", value=False))
    alpha.flush()
    with pytest.raises(ValidationFailed):
        operations.request_ad_hoc_report(
            alpha,
            leader_at(alpha, world.alpha.province),
            unit_id=world.alpha.province,
            title="T",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 1, 31),
            due_on=D(2026, 2, 5),
            today=TODAY,
        )
    assert (
        alpha.scalar(
            select(func.count())
            .select_from(ReportPeriod)
            .where(ReportPeriod.kind == PeriodKind.ad_hoc)
        )
        == 0
    )
