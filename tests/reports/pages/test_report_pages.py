"""The report pages: calendar, draft, edit, submit, return, accept, consolidation, requests."""

from __future__ import annotations

import re

from giamsat.identity import Role
from giamsat.reports.models import Report, ReportStatus
from tests.plugins.form_values import assert_kept
from tests.plugins.pages import text_of
from tests.plugins.reports import field_error, report_id_from

SESSIONS = "activities.sessions"
#: What pages must never load: anything from another host (CSP is 'self' only anyway).
EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I
)


def _switch(pages, who: str, slug: str = "alpha") -> None:
    """Log out whoever is in, then log in as `who` (the login page keeps a logged-in user)."""
    pages.post(f"/t/{slug}/logout")
    pages.login(slug, who)


def _open(pages, period_id, unit_id, **data):
    return pages.post(f"/t/alpha/reports/periods/{period_id}/units/{unit_id}/open", data)


def _report(tenant_session, report_id) -> Report:
    with tenant_session("alpha") as session:
        report = session.get(Report, report_id)
        session.refresh(report)
        return report


def test_every_page_renders_without_external_urls(pages, world, seeded):
    a = world.alpha
    pages.login("alpha", "admin")
    report_id = report_id_from(_open(pages, seeded.yearly, a.province))
    urls = [
        "/t/alpha/reports/",
        "/t/alpha/reports/?year=2027",
        f"/t/alpha/reports/?unit={a.commune_x}",
        "/t/alpha/reports/dashboard",
        f"/t/alpha/reports/dashboard/{seeded.q3}?unit={a.province}",
        "/t/alpha/reports/indicators",
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.province}",
        f"/t/alpha/reports/{report_id}",
        f"/t/alpha/reports/{report_id}/edit",
        "/t/alpha/reports/requests/new",
    ]
    for url in urls:
        response = pages.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not EXTERNAL.search(html), url
        assert "<script" not in html.split("<main")[1], url  # only the shell's site.js
    # The layout's navigation leads here.
    assert 'href="/t/alpha/reports/"' in pages.get("/t/alpha/").get_data(as_text=True)


def test_draft_is_prefilled_then_edited_with_a_marked_hand_entry_and_submitted(
    pages, world, seeded, tenant_session
):
    a = world.alpha
    pages.login("alpha", "x-staff")
    response = _open(pages, seeded.yearly, a.commune_x)
    assert response.status_code == 302
    report_id = report_id_from(response)
    page = text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    assert "Đang soạn, chưa gửi" in page
    # Prefilled from the records: 3 sessions at the commune, and traceable.
    row = re.search(
        rf'<tr id="figure-{re.escape(SESSIONS)}">(.*?)</tr>',
        pages.get(f"/t/alpha/reports/{report_id}").get_data(as_text=True),
        re.S,
    )
    assert "<strong>3</strong>" in row.group(1)
    assert f"/t/alpha/reports/indicators#{SESSIONS}" in row.group(1)
    assert "Tính từ hồ sơ" in row.group(1) and "Nhập tay" not in row.group(1)

    # A bad figure: said next to its row, nothing saved.
    bad = pages.post(
        f"/t/alpha/reports/{report_id}/edit",
        {"version": "1", "results": "Đã giám sát 3 cuộc.", f"figure-{SESSIONS}": "ba"},
    )
    assert bad.status_code == 422
    assert "số nguyên không âm" in field_error(bad, f"err-{SESSIONS}")
    assert _report(tenant_session, report_id).results == ""

    edit_page = pages.get(f"/t/alpha/reports/{report_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', edit_page).group(1)
    saved = pages.post(
        f"/t/alpha/reports/{report_id}/edit",
        {
            "version": version,
            "results": "Đã giám sát 5 cuộc.",
            "situation": "Ổn định.",
            f"figure-{SESSIONS}": "5",
            f"note-{SESSIONS}": "Thêm 2 cuộc chưa nhập hệ thống",
            "document_number": "12/BC-MTTQ",
            "signer_name": "Nguyễn Văn An",
            "signer_title": "Chủ tịch",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    report = _report(tenant_session, report_id)
    entry = next(e for e in report.entries if e.indicator_code == SESSIONS)
    assert (entry.value, entry.computed_value, entry.is_manual) == (5, 3, True)
    row = re.search(
        rf'<tr id="figure-{re.escape(SESSIONS)}">(.*?)</tr>',
        pages.get(f"/t/alpha/reports/{report_id}").get_data(as_text=True),
        re.S,
    )
    assert "Nhập tay" in row.group(1) and "hồ sơ trong hệ thống: 3" in row.group(1)

    submitted = pages.post(
        f"/t/alpha/reports/{report_id}/submit", {"version": str(report.version), "checked": "y"}
    )
    assert submitted.status_code == 302
    report = _report(tenant_session, report_id)
    assert report.status == ReportStatus.submitted and report.is_late is False
    # Submitted: the edit page no longer offers the form.
    assert pages.get(f"/t/alpha/reports/{report_id}/edit").status_code == 302


def test_submitting_without_results_says_what_is_missing(pages, world, seeded, tenant_session):
    pages.login("alpha", "x-staff")
    report_id = report_id_from(_open(pages, seeded.yearly, world.alpha.commune_x))
    response = pages.post(
        f"/t/alpha/reports/{report_id}/submit",
        {"version": "1", "checked": "y"},
        follow_redirects=True,
    )
    assert "Hãy viết phần “Kết quả thực hiện” trước khi gửi báo cáo." in text_of(response)
    assert _report(tenant_session, report_id).status == ReportStatus.draft


def _write_and_submit(pages, tenant_session, report_id, results="Kết quả tốt."):
    version = _report(tenant_session, report_id).version
    assert (
        pages.post(
            f"/t/alpha/reports/{report_id}/edit", {"version": str(version), "results": results}
        ).status_code
        == 302
    )
    version = _report(tenant_session, report_id).version
    assert (
        pages.post(
            f"/t/alpha/reports/{report_id}/submit", {"version": str(version), "checked": "y"}
        ).status_code
        == 302
    )


def test_return_with_reason_resubmit_and_accept_freezes(
    pages, client, world, seeded, tenant_session
):
    a = world.alpha
    pages.login("alpha", "x-staff")
    report_id = report_id_from(_open(pages, seeded.yearly, a.commune_x))
    _write_and_submit(pages, tenant_session, report_id)

    _switch(pages, "admin")
    page = text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    assert "Tiếp nhận báo cáo" in page and "Trả lại báo cáo" in page
    version = _report(tenant_session, report_id).version
    no_reason = pages.post(
        f"/t/alpha/reports/{report_id}/return", {"version": str(version), "reason": "  "}
    )
    assert no_reason.status_code == 422
    assert "Hãy ghi lý do trả lại" in field_error(no_reason, "reason-error")
    assert _report(tenant_session, report_id).status == ReportStatus.submitted
    returned = pages.post(
        f"/t/alpha/reports/{report_id}/return",
        {"version": str(version), "reason": "Thiếu số liệu hội nghị"},
    )
    assert returned.status_code == 302
    assert _report(tenant_session, report_id).status == ReportStatus.returned

    _switch(pages, "x-staff")
    page = text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    assert "Cấp trên trả lại, lý do: Thiếu số liệu hội nghị" in page
    _write_and_submit(pages, tenant_session, report_id, results="Đã bổ sung số liệu.")
    assert _report(tenant_session, report_id).status == ReportStatus.submitted

    _switch(pages, "admin")
    version = _report(tenant_session, report_id).version
    assert (
        pages.post(
            f"/t/alpha/reports/{report_id}/accept", {"version": str(version), "checked": "y"}
        ).status_code
        == 302
    )
    report = _report(tenant_session, report_id)
    assert report.status == ReportStatus.accepted
    assert report.snapshot["narrative"]["results"] == "Đã bổ sung số liệu."
    assert "giữ cố định" in text_of(pages.get(f"/t/alpha/reports/{report_id}"))

    # Frozen: an edit is refused with a plain sentence and changes nothing.
    refused = pages.post(
        f"/t/alpha/reports/{report_id}/edit",
        {"version": str(report.version), "results": "Sửa sau khi tiếp nhận"},
    )
    assert refused.status_code == 409
    assert "không sửa được nữa" in text_of(refused)
    assert _report(tenant_session, report_id).results == "Đã bổ sung số liệu."


def test_consolidation_uses_submitted_figures_and_marks_missing_children(
    pages, world, seeded, tenant_session
):
    a = world.alpha
    pages.login("alpha", "x-staff")
    report_id = report_id_from(_open(pages, seeded.yearly, a.commune_x))
    version = _report(tenant_session, report_id).version
    pages.post(
        f"/t/alpha/reports/{report_id}/edit",
        {"version": str(version), "results": "Kết quả.", f"figure-{SESSIONS}": "7"},
    )
    _submit = _report(tenant_session, report_id).version
    pages.post(f"/t/alpha/reports/{report_id}/submit", {"version": str(_submit), "checked": "y"})

    _switch(pages, "admin")
    response = pages.get(f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.province}")
    html = response.get_data(as_text=True)
    rows = re.findall(
        r"<tr( class=\"live\")?>\s*<td data-label=\"Đơn vị\">([^<]+)</td>(.*?)</tr>", html, re.S
    )
    by_name = {name: (live, rest) for live, name, rest in rows}
    x_live, x_rest = by_name["Xã Đông Alpha"]
    y_live, y_rest = by_name["Phường Tây Alpha"]
    assert not x_live and "Theo báo cáo đã gửi" in x_rest
    assert y_live and "Số liệu tạm tính, chưa nộp" in y_rest and "Chưa lập báo cáo" in y_rest
    # Total = X's submitted 7 + Y's live 1; the split is shown.
    total_row = re.search(rf'<tr id="c-{re.escape(SESSIONS)}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'class="num[^"]*">(?:<strong>)?(\d+)', total_row)
    assert cells == ["8", "0", "7", "1"]


def test_an_ad_hoc_request_with_an_error_keeps_every_typed_value(pages, world, seeded):
    pages.login("alpha", "admin")
    typed = {
        "unit_id": str(world.alpha.province),
        "title": "Báo cáo nhanh",
        "note": "Số hòm thư đã mở",
        "starts_on": "01/10/2026",
        "ends_on": "30/09/2026",
        "due_on": "20/12/2030",
    }
    response = pages.post("/t/alpha/reports/requests/new", typed)
    assert response.status_code == 422
    assert "Ngày cuối kỳ phải sau ngày đầu kỳ." in field_error(response, "ends_on-error")
    assert_kept(response, typed)


def test_ad_hoc_request_with_errors_next_to_fields_then_visible_below(pages, world, seeded):
    a = world.alpha
    pages.login("alpha", "admin")
    bad = pages.post(
        "/t/alpha/reports/requests/new",
        {
            "unit_id": str(a.province),
            "title": "",
            "starts_on": "01/10/2026",
            "ends_on": "30/09/2026",
            "due_on": "ngày mai",
        },
    )
    assert bad.status_code == 422
    assert field_error(bad, "title-error") == "Hãy điền ô này."
    assert "Ngày không hợp lệ" in field_error(bad, "due_on-error")
    bad_order = pages.post(
        "/t/alpha/reports/requests/new",
        {
            "unit_id": str(a.province),
            "title": "Báo cáo nhanh",
            "starts_on": "01/10/2026",
            "ends_on": "30/09/2026",
            "due_on": "20/12/2030",
        },
    )
    assert bad_order.status_code == 422
    assert "Ngày cuối kỳ phải sau ngày đầu kỳ." in field_error(bad_order, "ends_on-error")
    done = pages.post(
        "/t/alpha/reports/requests/new",
        {
            "unit_id": str(a.province),
            "title": "Báo cáo nhanh về hòm thư",
            "note": "Số hòm thư đã mở",
            "starts_on": "01/10/2026",
            "ends_on": "30/11/2026",
            "due_on": "20/12/2030",
        },
    )
    assert done.status_code == 302
    _switch(pages, "x-staff")
    page = text_of(pages.get("/t/alpha/reports/?year=2026"))
    assert "Báo cáo nhanh về hòm thư" in page and "theo yêu cầu của Tỉnh Alpha" in page


def test_province_staff_see_no_accept_button_and_are_told_who_accepts(
    pages, world, seeded, put_report, add_user
):
    a = world.alpha
    add_user("alpha", "p-staff", Role.staff, a.province)
    report_id = put_report(seeded.yearly, a.commune_x, ReportStatus.submitted)
    pages.login("alpha", "p-staff")
    page = text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    assert "Tiếp nhận báo cáo" not in page.replace("“Tiếp nhận hoặc trả lại báo cáo", "")
    assert "Báo cáo đang chờ Tỉnh Alpha tiếp nhận." in page
    assert "do người có vai trò quản trị tỉnh, quản trị đơn vị, lãnh đạo làm" in page


def test_submit_and_accept_wait_for_the_confirmation_box(pages, world, seeded, tenant_session):
    """Without JavaScript the "Tôi đã kiểm tra …" box is the confirmation: left unticked, the
    report stays as it was and the page says what to do."""
    pages.login("alpha", "x-staff")
    report_id = report_id_from(_open(pages, seeded.yearly, world.alpha.commune_x))
    version = _report(tenant_session, report_id).version
    pages.post(f"/t/alpha/reports/{report_id}/edit", {"version": str(version), "results": "Tốt."})
    page = pages.get(f"/t/alpha/reports/{report_id}").get_data(as_text=True)
    assert 'name="checked"' in page and "data-confirm=" in page
    version = _report(tenant_session, report_id).version
    unticked = pages.post(
        f"/t/alpha/reports/{report_id}/submit", {"version": str(version)}, follow_redirects=True
    )
    assert "Hãy đánh dấu ô xác nhận trước khi thực hiện." in text_of(unticked)
    assert _report(tenant_session, report_id).status == ReportStatus.draft
    ticked = pages.post(
        f"/t/alpha/reports/{report_id}/submit", {"version": str(version), "checked": "y"}
    )
    assert ticked.status_code == 302
    assert _report(tenant_session, report_id).status == ReportStatus.submitted

    _switch(pages, "admin")
    version = _report(tenant_session, report_id).version
    unticked = pages.post(
        f"/t/alpha/reports/{report_id}/accept", {"version": str(version)}, follow_redirects=True
    )
    assert "Hãy đánh dấu ô xác nhận trước khi thực hiện." in text_of(unticked)
    assert _report(tenant_session, report_id).status == ReportStatus.submitted
    pages.post(f"/t/alpha/reports/{report_id}/accept", {"version": str(version), "checked": "y"})
    assert _report(tenant_session, report_id).status == ReportStatus.accepted


def test_a_report_sent_by_mistake_can_be_withdrawn_shortly_after(
    pages, world, seeded, tenant_session
):
    """“Rút lại báo cáo”: the undo of “Gửi báo cáo” within 30 minutes, before the province
    acts; later, or once accepted, it is refused and the report stays as it was."""
    import datetime as dt

    pages.login("alpha", "x-staff")
    report_id = report_id_from(_open(pages, seeded.yearly, world.alpha.commune_x))
    _write_and_submit(pages, tenant_session, report_id)
    page = text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    assert "Rút lại báo cáo" in page
    version = _report(tenant_session, report_id).version
    withdrawn = pages.post(
        f"/t/alpha/reports/{report_id}/withdraw", {"version": str(version)}, follow_redirects=True
    )
    assert "Đã rút lại báo cáo" in text_of(withdrawn)
    report = _report(tenant_session, report_id)
    assert report.status == ReportStatus.draft and report.first_submitted_at is not None
    assert "rút lại báo cáo" in text_of(withdrawn)  # in the history

    _write_and_submit(pages, tenant_session, report_id)
    version = _report(tenant_session, report_id).version
    with tenant_session("alpha") as session:  # sent 31 minutes ago: the window has passed
        session.get(Report, report_id).submitted_at -= dt.timedelta(minutes=31)
        session.commit()
    assert "Rút lại báo cáo" not in text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    refused = pages.post(
        f"/t/alpha/reports/{report_id}/withdraw", {"version": str(version)}, follow_redirects=True
    )
    assert "rút lại được báo cáo vừa gửi (trong 30 phút)" in text_of(refused)
    assert _report(tenant_session, report_id).status == ReportStatus.submitted
    # The province that receives it cannot take it back for the commune.
    with tenant_session("alpha") as session:
        session.get(Report, report_id).submitted_at = dt.datetime.now(dt.UTC)
        session.commit()
    _switch(pages, "admin")
    assert "Rút lại báo cáo" not in text_of(pages.get(f"/t/alpha/reports/{report_id}"))
    pages.post(f"/t/alpha/reports/{report_id}/withdraw", {"version": str(version)})
    assert _report(tenant_session, report_id).status == ReportStatus.submitted
    # Someone of another commune cannot touch it.
    _switch(pages, "y-admin")
    assert pages.post(f"/t/alpha/reports/{report_id}/withdraw", {}).status_code == 404
