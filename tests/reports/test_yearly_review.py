"""The yearly review (issue 19 point 4): a draft prefilled with the year's figures beside the
previous year's and the plan's, narrative sections from tenant data, the year-end job, the
roll-up to the province, the DOCX file, scoping and isolation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.reports import jobs
from giamsat.reports.provisioning import provision_tenant
from giamsat.reports.yearly_review import docx, operations, queries, sections
from giamsat.reports.yearly_review.lines import figure_lines
from giamsat.reports.yearly_review.models import ReviewSection, ReviewStatus, YearlyReview
from giamsat.supervision.models import ActivityKind, CommitmentStatus
from tests.plugins.docx import docx_texts
from tests.plugins.reports import TODAY, add_activity, add_case
from tests.plugins.yearly_review import add_dialogue, add_plan, add_recommendation

D = dt.date
#: The pages' "today" for 2026: inside the year-end window, before the yearly period's end.
YEAR_END = D(2026, 12, 5)


@pytest.fixture()
def records(alpha, world):
    """At commune X: the 2026 plan with 3 activities (one still ahead on YEAR_END), one more
    session outside the plan, a conference (not a session); 3 recommendations due in 2026 (on
    time, late, unanswered) and a withdrawn one; a held dialogue with 4 commitments and a
    scheduled one; 2 cases. In 2025: one session, one recommendation on time, one case. At
    commune Y: one 2026 session (never in X's figures)."""
    a, s = world.alpha, alpha
    plan = add_plan(s, a.commune_x, a.org_mttq, 2026)
    for day in (D(2026, 3, 1), D(2026, 6, 1), D(2026, 12, 10)):
        activity = add_activity(s, a.commune_x, a.org_mttq, day)
        activity.plan_id = plan.id
    add_activity(s, a.commune_x, a.org_mttq, D(2026, 5, 1), kind=ActivityKind.regular)
    add_activity(
        s, a.commune_x, a.org_mttq, D(2026, 4, 1), kind=ActivityKind.dissemination_conference
    )
    add_recommendation(s, a.commune_x, a.org_mttq, D(2026, 4, 1), answered_on=D(2026, 3, 20))
    add_recommendation(s, a.commune_x, a.org_mttq, D(2026, 5, 1), answered_on=D(2026, 5, 10))
    add_recommendation(s, a.commune_x, a.org_mttq, D(2026, 6, 1))
    add_recommendation(s, a.commune_x, a.org_mttq, D(2026, 7, 1), withdrawn=True)
    kept, broken, open_ = CommitmentStatus.kept, CommitmentStatus.broken, CommitmentStatus.open
    add_dialogue(s, a.commune_x, a.org_mttq, D(2026, 7, 1), [kept, kept, open_, broken])
    add_dialogue(s, a.commune_x, a.org_mttq, D(2026, 9, 1), [open_], held=False)
    add_case(s, a.commune_x, D(2026, 3, 1))
    add_case(s, a.commune_x, D(2026, 3, 2), area_id=a.area_x)  # its residential area counts
    add_activity(s, a.commune_x, a.org_mttq, D(2025, 6, 1))
    add_recommendation(s, a.commune_x, a.org_mttq, D(2025, 5, 1), answered_on=D(2025, 4, 1))
    add_case(s, a.commune_x, D(2025, 3, 1))
    add_activity(s, a.commune_y, a.org_mttq, D(2026, 3, 1))
    s.flush()
    return s


def _open(session, principal, unit_id, year=2026, today=YEAR_END):
    return operations.open_review(session, principal, unit_id=unit_id, year=year, today=today)


def test_draft_is_prefilled_with_the_year_the_previous_year_and_the_plan(records, world, principal):
    review, created = _open(records, principal(records, "x-staff"), world.alpha.commune_x)
    assert created and review.status == ReviewStatus.draft
    now, before = review.figures["current"], review.figures["previous"]
    assert now["plan.approved"] == 1
    assert (now["plan.activities_planned"], now["plan.activities_held"]) == (3, 2)
    assert (now["activities.held"], now["activities.held_outside_plan"]) == (3, 1)
    assert (before["activities.held"], before["plan.activities_planned"]) == (1, 0)
    assert now["recommendations.due"] == 3
    assert (now["recommendations.on_time"], now["recommendations.late"]) == (1, 1)
    assert now["recommendations.unanswered"] == 1
    assert (before["recommendations.due"], before["recommendations.on_time"]) == (1, 1)
    assert (now["dialogues.held"], now["commitments.total"]) == (1, 4)
    assert (now["commitments.kept"], now["commitments.broken"], now["commitments.open"]) == (
        2,
        1,
        1,
    )
    assert (now["intake.received"], before["intake.received"]) == (2, 1)
    lines = {line.code: line for line in figure_lines(records, now, before)}
    assert lines["plan.activities_held"].share == "67%"
    assert lines["recommendations.on_time"].share == "33%"
    assert lines["commitments.kept"].share == "50%"
    assert lines["activities.held"].change == "+2"
    assert lines["intake.received"].label  # the tenant's own indicator label
    assert lines["activities.tw4.DD"].current == 0  # the TW4 groups across every source


def test_opening_again_refreshes_a_draft_and_keeps_its_text(records, world, principal):
    staff = principal(records, "x-staff")
    review, _ = _open(records, staff, world.alpha.commune_x)
    first = sections.list_sections(records)[0]
    operations.update_review(records, staff, review.id, texts={first.id: "Đã quán triệt."})
    add_case(records, world.alpha.commune_x, D(2026, 8, 1))
    again, created = _open(records, staff, world.alpha.commune_x)
    assert not created and again.id == review.id
    assert again.figures["current"]["intake.received"] == 3
    assert [t.content for t in again.texts] == ["Đã quán triệt."]


def test_narrative_sections_come_from_tenant_data(alpha, world, principal):
    defaults = sections.list_sections(alpha)
    assert [s.title for s in defaults][:2] == [
        "Công tác quán triệt, tuyên truyền, vận động",
        "Kết quả giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống",
    ]
    admin = principal(alpha, "admin")
    added = sections.create_section(alpha, admin, title="Công tác bảo vệ người phát giác")
    sections.update_section(
        alpha,
        admin,
        defaults[-1].id,
        title=defaults[-1].title,
        guidance="",
        sort_order=defaults[-1].sort_order,
        is_active=False,
    )
    titles = [s.title for s in sections.list_sections(alpha)]
    assert titles[-1] == "Công tác bảo vệ người phát giác"
    assert defaults[-1].title not in titles
    assert sections.seed_sections(alpha) == 0  # an edited list is never re-seeded
    staff = principal(alpha, "x-staff")
    review, _ = _open(alpha, staff, world.alpha.commune_x)
    texts = {s.id: "Nội dung" for s in sections.list_sections(alpha)}
    operations.update_review(alpha, staff, review.id, texts=texts)
    printed = [title for title, _ in queries.section_texts(review, sections.list_sections(alpha))]
    assert printed[-1] == added.title
    # Only the province's administrators change the list.
    with pytest.raises(Forbidden):
        sections.create_section(alpha, principal(alpha, "x-admin"), title="Mục khác")
    with pytest.raises(ValidationFailed) as refused:
        sections.create_section(alpha, admin, title="  ")
    assert "title" in refused.value.errors


def test_sections_are_per_tenant(tenant_session, alpha, world, principal):
    sections.create_section(alpha, principal(alpha, "admin"), title="Chỉ ở tỉnh Alpha")
    beta = tenant_session("beta")
    provision_tenant(beta, today=TODAY)
    assert "Chỉ ở tỉnh Alpha" not in [s.title for s in sections.list_sections(beta)]
    assert beta.scalar(select(func.count()).select_from(ReviewSection)) == len(
        sections.default_sections()
    )


def test_year_end_job_creates_each_draft_once(records, world):
    assert operations.create_year_end_drafts(records, D(2026, 11, 30)) == 0  # not yet
    created = operations.create_year_end_drafts(records, D(2026, 12, 1))
    # The province and its two communes; residential areas write none.
    assert created == 3
    assert operations.create_year_end_drafts(records, D(2026, 12, 2)) == 0
    reviews = records.scalars(select(YearlyReview).where(YearlyReview.year == 2026)).all()
    assert sorted(r.unit_id for r in reviews) == sorted(
        [world.alpha.province, world.alpha.commune_x, world.alpha.commune_y]
    )
    x = next(r for r in reviews if r.unit_id == world.alpha.commune_x)
    assert x.created_by_id is None and x.figures["current"]["plan.activities_planned"] == 3
    assert {job.id for job in jobs.PERIODIC} >= {"reports.yearly_review_drafts"}


def _write_all(session, principal, review, text):
    texts = {s.id: text for s in sections.list_sections(session)}
    operations.update_review(session, principal, review.id, texts=texts)


def test_two_communes_roll_up_to_the_province(records, world, principal):
    a = world.alpha
    x_staff, y_admin = principal(records, "x-staff"), principal(records, "y-admin")
    x, _ = _open(records, x_staff, a.commune_x)
    y, _ = _open(records, y_admin, a.commune_y)
    _write_all(records, x_staff, x, "Xã Đông làm tốt.")
    _write_all(records, y_admin, y, "Phường Tây cần cố gắng.")
    admin = principal(records, "admin")
    before = queries.build_rollup(records, admin, a.province, 2026)
    assert before.current["activities.held"] == 0 and len(before.waiting) == 3
    operations.submit_review(records, x_staff, x.id)
    operations.submit_review(records, y_admin, y.id)
    rollup = queries.build_rollup(records, admin, a.province, 2026)
    assert rollup.current["activities.held"] == 3 + 1
    assert rollup.current["intake.received"] == 2
    assert rollup.previous["activities.held"] == 1
    assert [u.unit.id for u in rollup.waiting] == [a.province]  # its own review is not written
    first = sections.list_sections(records)[0].title
    assert [name for name, _ in rollup.narratives[first]] == [x.unit.name, y.unit.name]
    data = docx.rollup_docx(
        rollup, None, figure_lines(records, rollup.current, rollup.previous), day=YEAR_END
    )
    texts = docx_texts(data)
    assert any("Tổng hợp đánh giá kết quả thực hiện" in t for t in texts)
    assert "Phường Tây cần cố gắng." in texts and "Xã Đông làm tốt." in texts
    assert "4" in texts  # the summed sessions, in the table


def test_review_docx_opens_and_holds_the_figures(records, world, principal):
    staff = principal(records, "x-staff")
    review, _ = _open(records, staff, world.alpha.commune_x)
    _write_all(records, staff, review, "Đã tổ chức 2 cuộc theo kế hoạch.")
    figures = review.figures
    data = docx.review_docx(
        review.unit,
        None,
        2026,
        figure_lines(records, figures["current"], figures["previous"]),
        queries.section_texts(review, sections.list_sections(records)),
        day=YEAR_END,
        is_draft=True,
    )
    texts = docx_texts(data)
    assert "BÁO CÁO" in texts
    assert "Năm 2025" in texts and "Năm 2026" in texts
    row = texts.index("Cuộc giám sát theo kế hoạch của năm")
    assert texts[row + 1 : row + 4] == ["cuộc", "0", "3"]
    assert "67%" in texts and "50%" in texts
    assert "II. CÔNG TÁC QUÁN TRIỆT, TUYÊN TRUYỀN, VẬN ĐỘNG" in texts
    assert "Đã tổ chức 2 cuộc theo kế hoạch." in texts


def test_bad_input_is_refused_and_nothing_is_written(records, world, principal):
    a, staff = world.alpha, principal(records, "x-staff")
    with pytest.raises(ValidationFailed) as future:
        _open(records, staff, a.commune_x, year=2027)
    assert "year" in future.value.errors
    with pytest.raises(ValidationFailed) as area:
        _open(records, principal(records, "admin"), a.area_x)
    assert "unit_id" in area.value.errors
    review, _ = _open(records, staff, a.commune_x)
    first = sections.list_sections(records)[0]
    with pytest.raises(ValidationFailed) as refused:
        operations.update_review(
            records, staff, review.id, texts={first.id: "Đúng", 999_999: "Mục lạ"}
        )
    assert "section-999999" in refused.value.errors
    assert review.texts == []  # the good section was not written either
    with pytest.raises(ValidationFailed) as empty:
        operations.submit_review(records, staff, review.id)
    assert len(empty.value.errors) == len(sections.list_sections(records))
    assert review.status == ReviewStatus.draft
    with pytest.raises(Conflict):
        operations.update_review(records, staff, review.id, texts={}, version=review.version - 1)
    _write_all(records, staff, review, "Nội dung")
    operations.submit_review(records, staff, review.id)
    with pytest.raises(Conflict):
        operations.update_review(records, staff, review.id, texts={first.id: "Sửa sau khi gửi"})


def test_commune_x_never_sees_commune_y(records, world, principal):
    a = world.alpha
    y, _ = _open(records, principal(records, "y-admin"), a.commune_y)
    x_staff = principal(records, "x-staff")
    with pytest.raises(NotFound):
        queries.get_review(records, x_staff, y.id)
    with pytest.raises(NotFound):
        _open(records, x_staff, a.commune_y)
    with pytest.raises(NotFound):
        queries.build_rollup(records, x_staff, a.province, 2026)
    with pytest.raises(Forbidden):
        _open(records, principal(records, "x-reader"), a.commune_x)
    rollup = queries.build_rollup(records, x_staff, a.commune_x, 2026)
    assert [u.unit.id for u in rollup.units] == [a.commune_x]


def test_province_b_never_sees_province_a(records, tenant_session, world, principal):
    review, _ = _open(records, principal(records, "x-staff"), world.alpha.commune_x)
    records.flush()
    beta = tenant_session("beta")
    assert beta.get(YearlyReview, review.id) is None
    assert beta.scalar(select(func.count()).select_from(YearlyReview)) == 0
    with pytest.raises(NotFound):
        queries.get_review(beta, principal(beta, "admin", "beta"), review.id)


def test_the_scheduled_job_opens_drafts_on_the_first_vietnam_day_of_december(records, world):
    body = jobs.yearly_review_drafts.__wrapped__
    # 23:30 on 30/11 in Hà Nội: not yet.
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC), tick=False):
        assert body(records, None) == 0
    # 00:30 on 1/12 in Hà Nội, still 30/11 in UTC: the drafts, once.
    with time_machine.travel(dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), tick=False):
        assert body(records, None) == 3
        assert body(records, None) == 0
