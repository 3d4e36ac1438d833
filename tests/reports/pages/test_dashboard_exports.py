"""The completeness dashboard, the DOCX/XLSX exports and the export job, scoping and isolation."""

from __future__ import annotations

import io
import re

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from giamsat.reports import export_jobs
from giamsat.reports.models import ExportStatus, ReportExport, ReportStatus
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins.pages import text_of
from tests.plugins.reports import report_id_from

SESSIONS = "activities.sessions"


def _row_numbers(html: str, row_id: str) -> list[int]:
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S).group(1)
    return [int(n) for n in re.findall(r'class="num">(\d+)<', row)]


def test_dashboard_numbers_match_the_reports(pages, world, seeded, put_report):
    a = world.alpha
    # Q3: X on time, Y nothing (its due day has passed). Q2: both late, one accepted.
    put_report(seeded.q3, a.commune_x, ReportStatus.submitted, late=False)
    put_report(seeded.q2, a.commune_x, ReportStatus.accepted, late=True)
    put_report(seeded.q2, a.commune_y, ReportStatus.submitted, late=True)
    put_report(seeded.yearly, a.commune_y, ReportStatus.draft)
    pages.login("alpha", "admin")
    html = pages.get(f"/t/alpha/reports/dashboard?unit={a.province}&year=2026").get_data(
        as_text=True
    )
    # expected, submitted, on time, late, pending, missing
    assert _row_numbers(html, f"period-{seeded.q3}") == [2, 1, 1, 0, 0, 1]
    assert _row_numbers(html, f"period-{seeded.q2}") == [2, 2, 0, 2, 0, 0]
    assert _row_numbers(html, f"period-{seeded.yearly}") == [2, 0, 0, 0, 2, 0]
    # The chart: inline SVG, one bar per period, segments as wide as their share.
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert svg.count('class="track"') == html.count('<tr id="period-')
    assert re.search(r'class="seg-on-time" x="190" y="\d+" width="210"', svg)
    assert re.search(r'class="seg-late" x="190" y="\d+" width="420"', svg)
    # Drill-down to the units of Q3.
    drill = pages.get(f"/t/alpha/reports/dashboard/{seeded.q3}?unit={a.province}")
    rows = text_of(drill)
    assert "Xã Đông Alpha Nộp đúng hạn Đã gửi, chờ tiếp nhận" in rows
    assert "Phường Tây Alpha Quá hạn chưa nộp —" in rows
    # A commune's own dashboard: nothing below it reports.
    pages.post("/t/alpha/logout")
    pages.login("alpha", "x-staff")
    html = pages.get("/t/alpha/reports/dashboard?year=2026").get_data(as_text=True)
    assert _row_numbers(html, f"period-{seeded.q3}") == [0, 0, 0, 0, 0, 0]


def _submitted_x_report(pages, world, seeded) -> int:
    pages.login("alpha", "x-staff")
    report_id = report_id_from(
        pages.post(f"/t/alpha/reports/periods/{seeded.yearly}/units/{world.alpha.commune_x}/open")
    )
    pages.post(
        f"/t/alpha/reports/{report_id}/edit",
        {
            "version": "1",
            "results": "Đã giám sát 3 cuộc.\nĐã tiếp nhận 2 phản ánh.",
            "proposals": "Đề nghị tập huấn.",
            "figure-outcomes.violations_confirmed": "4",
            "document_number": "12/BC-MTTQ",
            "signer_name": "Nguyễn Văn An",
            "signer_title": "Chủ tịch",
        },
    )
    return report_id


def _texts(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def test_report_docx_has_the_administrative_layout_and_the_figures(pages, world, seeded):
    report_id = _submitted_x_report(pages, world, seeded)
    response = pages.get(f"/t/alpha/reports/{report_id}/export.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert 20 <= margins[0] <= 25 and 20 <= margins[1] <= 25
    assert 30 <= margins[2] <= 35 and 15 <= margins[3] <= 20
    texts = _texts(document)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert "Độc lập - Tự do - Hạnh phúc" in texts
    assert "BAN THƯỜNG TRỰC ỦY BAN MTTQ XÃ ĐÔNG ALPHA" in texts
    assert "Số: 12/BC-MTTQ" in texts and "BÁO CÁO" in texts
    assert any(t.startswith("Đông Alpha, ngày ") for t in texts)
    assert "Nơi nhận:" in texts and "- Lưu: VT, MTTQ." in texts
    assert "Đã tiếp nhận 2 phản ánh." in texts and "NGUYỄN VĂN AN" not in texts
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text}
    assert fonts == {"Times New Roman"}
    # The figures table: label, value, and the hand entry marked.
    figures = next(t for t in document.tables if t.cell(0, 1).text == "Chỉ tiêu")
    rows = {row.cells[1].text: row.cells[3].text for row in figures.rows[1:]}
    assert rows["Cuộc giám sát"] == "3"
    assert any(v == "4 (*)" for v in rows.values())
    assert any("(*) do đơn vị nhập tay" in t for t in texts)
    # Never a case's content or a reporter: only figures and the report's own text.
    assert not any("Nội dung" == t or "Phản ánh" == t for t in texts)


def test_report_xlsx_lists_every_figure_with_its_method(pages, world, seeded):
    report_id = _submitted_x_report(pages, world, seeded)
    response = pages.get(f"/t/alpha/reports/{report_id}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Số liệu"]
    assert sheet["A1"].value == "BÁO CÁO KẾT QUẢ GIÁM SÁT NĂM 2026"
    header = [c.value for c in sheet[4]]
    # People read names: the indicator's Vietnamese name first, its code last and hidden.
    assert header == [
        "STT",
        "Nhóm",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Số liệu báo cáo",
        "Số tính từ hồ sơ",
        "Nhập tay",
        "Ghi chú",
        "Cách tính",
        "Mã chỉ tiêu",
    ]
    assert sheet.column_dimensions["J"].hidden and not sheet.column_dimensions["C"].hidden
    assert sheet.freeze_panes == "A5"
    assert sheet["C5"].font.b is False and sheet["C4"].font.b is True
    rows = {r[-1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows[SESSIONS][2] == "Cuộc giám sát"
    assert not any(str(r[2]).startswith("activities.") for r in rows.values())
    assert rows[SESSIONS][1] == "I. Hoạt động giám sát"
    assert rows[SESSIONS][4] == 3 and rows[SESSIONS][5] == 3 and rows[SESSIONS][6] is None
    assert rows["outcomes.violations_confirmed"][4] == 4
    assert rows["outcomes.violations_confirmed"][6] == "có"
    assert rows["outcomes.violations_confirmed"][8] == "Nhập tay"
    assert "hoạt động giám sát" in rows[SESSIONS][8].lower()
    # Widths fitted to the content, capped for long text (which wraps).
    assert 8 <= sheet.column_dimensions["C"].width <= 60
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["C"].width
    narrative = {r[0]: r[1] for r in book["Nội dung"].iter_rows(values_only=True)}
    assert narrative["Kiến nghị, đề xuất"] == "Đề nghị tập huấn."


def test_consolidation_export_runs_as_a_job_with_visible_progress(
    pages, world, seeded, db, tenant_session, monkeypatch
):
    a = world.alpha
    pages.login("alpha", "admin")
    response = pages.post(
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.province}/exports", {"format": "xlsx"}
    )
    assert response.status_code == 302
    export_id = int(response.headers["Location"].rsplit("/", 1)[1])
    waiting = pages.get(f"/t/alpha/reports/exports/{export_id}").get_data(as_text=True)
    # No meta refresh (axe: "delayed refresh"): site.js follows the JSON status instead.
    assert "http-equiv" not in waiting
    assert f'data-poll-url="/t/alpha/reports/exports/{export_id}/status.json"' in waiting
    status = pages.get(f"/t/alpha/reports/exports/{export_id}/status.json").get_json()
    assert status["finished"] is False and status["progress"] == 0
    assert '<progress class="export" max="100" value="0"' in waiting
    assert "Đang chờ đến lượt" in waiting
    # Nobody has to keep the page open: the one who asked is notified (tests/notifications).
    assert "bạn sẽ nhận được thông báo" in waiting
    # Not ready: the download waits.
    assert pages.get(f"/t/alpha/reports/exports/{export_id}/download").status_code == 302

    seen = []
    original = export_jobs.ProgressWriter.set

    def spy(self, percent, **values):
        original(self, percent, **values)
        with tenant_session("alpha") as check:  # what the polling page would read now
            seen.append(check.get(ReportExport, export_id, populate_existing=True).progress)

    monkeypatch.setattr(export_jobs.ProgressWriter, "set", spy)
    with db.session() as shared:
        tenant = shared.scalar(select(Tenant).where(Tenant.slug == "alpha"))
    with tenant_context(db, tenant) as scope:
        assert (
            export_jobs.build_export.__wrapped__(scope.session, scope, export_id=export_id)
            == "done"
        )
        scope.session.commit()
    assert seen and seen[0] < 100 and seen == sorted(seen)

    done = pages.get(f"/t/alpha/reports/exports/{export_id}").get_data(as_text=True)
    assert "data-poll-url" not in done and "Đã xong" in done
    status = pages.get(f"/t/alpha/reports/exports/{export_id}/status.json").get_json()
    assert status["finished"] is True and status["progress"] == 100
    download = pages.get(f"/t/alpha/reports/exports/{export_id}/download")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.data))
    sheet = book["Tổng hợp"]
    titles = [c.value for c in sheet[4]]
    assert "Xã Đông Alpha (số liệu tạm tính, chưa nộp)" in titles
    assert "Phường Tây Alpha (số liệu tạm tính, chưa nộp)" in titles
    assert titles[0] == "Chỉ tiêu" and titles[-1] == "Mã chỉ tiêu"
    assert sheet.column_dimensions[sheet.cell(row=4, column=len(titles)).column_letter].hidden
    assert sheet.freeze_panes == "A5"
    rows = {r[-1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows[SESSIONS][2] == 4  # 3 at X + 1 at Y
    status = book["Tình hình nộp"]
    assert [c.value for c in status[1]] == [
        "Đơn vị",
        "Tình trạng",
        "Ngày nộp",
        "Nộp muộn",
        "Nguồn số liệu",
        "Mã đơn vị",
    ]
    assert status.freeze_panes == "A2" and status.column_dimensions["F"].hidden
    assert status.cell(row=2, column=3).number_format == "dd/mm/yyyy"
    with tenant_session("alpha") as check:
        export = check.get(ReportExport, export_id)
        assert export.status == ExportStatus.done and export.progress == 100


def test_a_commune_cannot_reach_a_sibling_communes_reports(pages, world, seeded, put_report):
    a = world.alpha
    y_report = put_report(seeded.yearly, a.commune_y, ReportStatus.submitted)
    pages.login("alpha", "x-staff")
    for url in (
        f"/t/alpha/reports/{y_report}",
        f"/t/alpha/reports/{y_report}/edit",
        f"/t/alpha/reports/{y_report}/export.docx",
        f"/t/alpha/reports/{y_report}/export.xlsx",
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.commune_y}",
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.province}",
        f"/t/alpha/reports/?unit={a.commune_y}",
        f"/t/alpha/reports/dashboard?unit={a.commune_y}",
        f"/t/alpha/reports/dashboard/{seeded.yearly}?unit={a.province}",
    ):
        assert pages.get(url).status_code == 404, url
    for url in (
        f"/t/alpha/reports/{y_report}/submit",
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.commune_y}/open",
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.commune_y}/exports",
    ):
        assert pages.post(url, {"format": "xlsx"}).status_code == 404, url
    # Y's export, requested by Y's admin, is not X's to see.
    pages.post("/t/alpha/logout")
    pages.login("alpha", "y-admin")
    response = pages.post(
        f"/t/alpha/reports/periods/{seeded.yearly}/units/{a.commune_y}/exports", {"format": "docx"}
    )
    export_url = response.headers["Location"]
    pages.post("/t/alpha/logout")
    pages.login("alpha", "x-staff")
    assert pages.get(export_url).status_code == 404
    assert pages.get(f"{export_url}/status.json").status_code == 404


def test_readonly_users_get_403_on_every_change(pages, world, seeded, put_report, tenant_session):
    a = world.alpha
    x_report = put_report(seeded.yearly, a.commune_x, ReportStatus.draft)
    pages.login("alpha", "x-reader")
    assert pages.get(f"/t/alpha/reports/{x_report}").status_code == 200
    assert "Sửa báo cáo" not in text_of(pages.get(f"/t/alpha/reports/{x_report}"))
    assert pages.get(f"/t/alpha/reports/{x_report}/edit").status_code == 403
    for url, data in (
        (f"/t/alpha/reports/{x_report}/edit", {"results": "x"}),
        (f"/t/alpha/reports/{x_report}/submit", {}),
        (f"/t/alpha/reports/{x_report}/refresh", {}),
        (f"/t/alpha/reports/{x_report}/accept", {}),
        (f"/t/alpha/reports/{x_report}/return", {"reason": "x"}),
        (f"/t/alpha/reports/periods/{seeded.q3}/units/{a.commune_x}/open", {}),
        ("/t/alpha/reports/requests/new", {"title": "x"}),
    ):
        assert pages.post(url, data).status_code == 403, url
    with tenant_session("alpha") as check:
        from giamsat.reports.models import Report

        assert check.get(Report, x_report).status == ReportStatus.draft
        assert check.get(Report, x_report).results == "Kết quả"


def test_a_tenant_session_does_not_reach_another_tenant(pages, world, seeded, put_report):
    x_report = put_report(seeded.yearly, world.alpha.commune_x, ReportStatus.submitted)
    pages.login("alpha", "admin")
    for url in ("/t/beta/reports/", f"/t/beta/reports/{x_report}", "/t/beta/reports/dashboard"):
        response = pages.get(url)
        assert response.status_code == 302 and "/t/beta/login" in response.headers["Location"]
    # Logged in to beta, alpha's report id is just not there.
    pages.post("/t/alpha/logout")
    pages.login("beta", "admin")
    assert pages.get(f"/t/beta/reports/{x_report}").status_code == 404
    assert pages.get(f"/t/beta/reports/{x_report}/export.docx").status_code == 404
