"""Drafts prefilled from figures, hand entries, submit → return → resubmit → accept (frozen),
deadlines, the parent's consolidation and completeness, and scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from giamsat.core.audit import AuditEntry
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.reports import operations, queries
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import ReportEvent, ReportStatus
from giamsat.reports.operations import (
    accept_report,
    open_report,
    return_report,
    submit_report,
    update_report,
)
from tests.plugins.reports import add_case

D = dt.date
VN = dt.timezone(dt.timedelta(hours=7))
ON_TIME = dt.datetime(2026, 3, 19, 23, 30, tzinfo=VN)  # the last day, late evening
LATE = dt.datetime(2026, 3, 20, 0, 10, tzinfo=VN)


@pytest.fixture()
def figures(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    add_case(alpha, w.commune_x, D(2026, 1, 6))
    add_case(alpha, w.commune_y, D(2026, 2, 1), area_id=w.area_y)
    recompute_period(alpha, period)
    return period


@pytest.fixture()
def x_report(alpha, world, figures, principal):
    report, created = open_report(
        alpha, principal(alpha, "x-admin"), period_id=figures.id, unit_id=world.alpha.commune_x
    )
    assert created
    return report


def _write_results(session, principal, report):
    return update_report(
        session, principal, report.id, narrative={"results": "Đã tổ chức giám sát theo kế hoạch."}
    )


def test_draft_is_prefilled_and_hand_entries_are_marked(alpha, world, x_report, principal):
    entries = {e.indicator_code: e for e in x_report.entries}
    assert entries["intake.received"].value == entries["intake.received"].computed_value == 2
    assert not entries["intake.received"].is_manual
    assert entries["outcomes.violations_confirmed"].is_manual  # a manual indicator
    assert entries["outcomes.violations_confirmed"].computed_value is None
    x_admin = principal(alpha, "x-admin")
    update_report(
        alpha,
        x_admin,
        x_report.id,
        version=x_report.version,
        figures={"intake.received": 3, "outcomes.violations_confirmed": 1},
        notes={"intake.received": "1 đơn nhận qua bưu điện chưa nhập"},
    )
    entries = {e.indicator_code: e for e in x_report.entries}
    assert (
        entries["intake.received"].value,
        entries["intake.received"].computed_value,
        entries["intake.received"].is_manual,
    ) == (3, 2, True)
    # A refresh takes new figures but keeps hand entries.
    add_case(alpha, world.alpha.commune_x, D(2026, 1, 9))
    recompute_period(alpha, x_report.period)
    operations.refresh_report(alpha, x_admin, x_report.id)
    entries = {e.indicator_code: e for e in x_report.entries}
    assert (entries["intake.received"].value, entries["intake.received"].computed_value) == (3, 3)
    assert entries["intake.kind.petition"].value == 3
    # Back to the computed figure: no longer a hand entry.
    update_report(alpha, x_admin, x_report.id, figures={"intake.received": None})
    assert not {e.indicator_code: e for e in x_report.entries}["intake.received"].is_manual
    changes = alpha.scalars(
        select(AuditEntry.changes).where(
            AuditEntry.object_type == "report", AuditEntry.action == "update"
        )
    ).all()
    assert any("figures.intake.received" in c for c in changes)


def test_bad_edits_say_what_is_wrong_and_change_nothing(alpha, x_report, principal):
    x_admin = principal(alpha, "x-admin")
    with pytest.raises(ValidationFailed) as error:
        update_report(
            alpha,
            x_admin,
            x_report.id,
            narrative={"results": "Mới"},
            figures={"intake.received": -1, "nope": 2},
        )
    assert set(error.value.errors) == {"figures.intake.received", "figures.nope"}
    assert x_report.results == ""
    with pytest.raises(Conflict):
        update_report(
            alpha, x_admin, x_report.id, version=x_report.version - 1, narrative={"results": "Mới"}
        )


def test_submit_return_resubmit_accept_then_frozen(alpha, world, x_report, principal, leader_at):
    x_admin = principal(alpha, "x-admin")
    with pytest.raises(ValidationFailed) as error:  # "Kết quả" is required to submit
        submit_report(alpha, x_admin, x_report.id, now=ON_TIME)
    assert "results" in error.value.errors
    _write_results(alpha, x_admin, x_report)
    submit_report(alpha, x_admin, x_report.id, now=ON_TIME)
    assert (x_report.status, x_report.is_late) == (ReportStatus.submitted, False)
    with pytest.raises(Conflict):  # waiting for the parent: no edits
        update_report(alpha, x_admin, x_report.id, narrative={"results": "Sửa"})
    with pytest.raises(Forbidden):  # the commune cannot accept its own report
        accept_report(alpha, x_admin, x_report.id)

    province = leader_at(alpha, world.alpha.province)
    with pytest.raises(ValidationFailed):
        return_report(alpha, province, x_report.id, reason="  ")
    return_report(alpha, province, x_report.id, reason="Thiếu số liệu hòm thư góp ý.")
    assert (x_report.status, x_report.returned_reason) == (
        ReportStatus.returned,
        "Thiếu số liệu hòm thư góp ý.",
    )
    update_report(alpha, x_admin, x_report.id, figures={"intake.box_openings": 2})
    # Resubmitted after the deadline: on time is judged on the first submission.
    submit_report(alpha, x_admin, x_report.id, now=LATE)
    assert (x_report.status, x_report.is_late) == (ReportStatus.submitted, False)
    assert x_report.first_submitted_at == ON_TIME

    accept_report(alpha, province, x_report.id)
    assert x_report.status == ReportStatus.accepted
    frozen = x_report.snapshot
    assert frozen["figures"]["intake.box_openings"] == {
        "value": 2,
        "computed_value": 0,
        "is_manual": True,
        "note": "",
    }
    assert frozen["narrative"]["results"] == "Đã tổ chức giám sát theo kế hoạch."
    for attempt in (
        lambda: update_report(alpha, x_admin, x_report.id, figures={}),
        lambda: submit_report(alpha, x_admin, x_report.id),
        lambda: operations.refresh_report(alpha, x_admin, x_report.id),
        lambda: return_report(alpha, province, x_report.id, reason="Muộn"),
    ):
        with pytest.raises(Conflict):
            attempt()
    # New records later do not change an accepted report.
    add_case(alpha, world.alpha.commune_x, D(2026, 1, 20))
    recompute_period(alpha, x_report.period)
    assert queries.report_values(x_report)["intake.received"] == 2
    actions = alpha.scalars(
        select(ReportEvent.action)
        .where(ReportEvent.report_id == x_report.id)
        .order_by(ReportEvent.id)
    ).all()
    assert actions == ["create", "edit", "submit", "return", "edit", "submit", "accept"]
    assert (
        alpha.scalar(select(ReportEvent.reason).where(ReportEvent.action == "return"))
        == "Thiếu số liệu hòm thư góp ý."
    )


def test_a_first_submission_after_the_due_day_is_late(alpha, x_report, principal):
    x_admin = principal(alpha, "x-admin")
    _write_results(alpha, x_admin, x_report)
    submit_report(alpha, x_admin, x_report.id, now=LATE)
    assert x_report.is_late is True


def test_consolidation_uses_submitted_figures_and_marks_the_missing(
    alpha, world, x_report, principal, leader_at
):
    w = world.alpha
    x_admin = principal(alpha, "x-admin")
    update_report(
        alpha,
        x_admin,
        x_report.id,
        figures={"intake.received": 5},
        narrative={"results": "Kết quả"},
    )
    submit_report(alpha, x_admin, x_report.id, now=LATE)
    province = leader_at(alpha, w.province)
    c = queries.consolidation(
        alpha, province, period_id=x_report.period_id, unit_id=w.province, today=D(2026, 3, 25)
    )
    by_unit = {line.unit.id: line for line in c.children}
    x, y = by_unit[w.commune_x], by_unit[w.commune_y]
    assert (x.status, x.source, x.is_late, x.figures["intake.received"]) == (
        "submitted",
        "report",
        True,
        5,
    )
    # Y has not reported: its live figures are used, marked "live", and it is overdue.
    assert (y.status, y.source, y.is_late, y.figures["intake.received"]) == (
        "missing",
        "live",
        True,
        1,
    )
    assert c.totals["intake.received"] == 6 and [m.unit.id for m in c.missing] == [w.commune_y]
    # The province's own draft is prefilled from this consolidation.
    report, _ = open_report(
        alpha, province, period_id=x_report.period_id, unit_id=w.province, today=D(2026, 3, 25)
    )
    assert {e.indicator_code: e.value for e in report.entries}["intake.received"] == 6

    (summary,) = queries.completeness(
        alpha, province, unit_id=w.province, period_ids=[x_report.period_id], today=D(2026, 3, 25)
    )
    assert (
        summary.expected,
        summary.submitted,
        summary.on_time,
        summary.late,
        summary.missing,
        summary.pending,
    ) == (2, 1, 0, 1, 1, 0)
    (before_due,) = queries.completeness(
        alpha, province, unit_id=w.province, period_ids=[x_report.period_id], today=D(2026, 3, 1)
    )
    assert (before_due.missing, before_due.pending) == (0, 1)
    rows = {
        r.unit.id: r
        for r in queries.completeness_by_child(
            alpha, province, unit_id=w.province, period_id=x_report.period_id, today=D(2026, 3, 25)
        )
    }
    assert (rows[w.commune_x].status, rows[w.commune_y].status) == ("submitted", "missing")


def test_a_commune_sees_only_its_own_reports(alpha, world, x_report, principal, leader_at):
    w = world.alpha
    y_admin = principal(alpha, "y-admin")
    with pytest.raises(NotFound):  # a sibling's report is "not found", not "forbidden"
        queries.get_report(alpha, y_admin, x_report.id)
    with pytest.raises(NotFound):
        update_report(alpha, y_admin, x_report.id, narrative={"results": "x"})
    assert alpha.scalars(queries.reports_query(y_admin)).all() == []
    with pytest.raises(NotFound):  # nor the province's consolidation
        queries.consolidation(
            alpha, principal(alpha, "x-admin"), period_id=x_report.period_id, unit_id=w.province
        )
    with pytest.raises(NotFound):
        queries.get_figures(alpha, y_admin, period_id=x_report.period_id, unit_id=w.commune_x)
    province = leader_at(alpha, w.province)
    assert [r.id for r in alpha.scalars(queries.reports_query(province))] == [x_report.id]
    reader = principal(alpha, "x-reader")
    assert queries.get_report(alpha, reader, x_report.id) is x_report
    with pytest.raises(Forbidden):
        update_report(alpha, reader, x_report.id, narrative={"results": "x"})


def test_who_may_open_which_report(alpha, world, figures, principal):
    w = world.alpha
    with pytest.raises(ValidationFailed):  # residential areas report through their commune
        open_report(alpha, principal(alpha, "x-admin"), period_id=figures.id, unit_id=w.area_x)
    with pytest.raises(Forbidden):
        open_report(alpha, principal(alpha, "x-reader"), period_id=figures.id, unit_id=w.commune_x)
    with pytest.raises(NotFound):
        open_report(alpha, principal(alpha, "x-admin"), period_id=figures.id, unit_id=w.commune_y)
    first, created = open_report(
        alpha, principal(alpha, "x-staff"), period_id=figures.id, unit_id=w.commune_x
    )
    again, created_again = open_report(
        alpha, principal(alpha, "x-admin"), period_id=figures.id, unit_id=w.commune_x
    )
    assert created and not created_again and again is first
