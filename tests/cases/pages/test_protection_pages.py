"""Reporter identity on the pages: masked everywhere, revealed once to a leader with a reason,
and the export of the queue masked too."""

from __future__ import annotations

import io
import logging

from openpyxl import load_workbook
from sqlalchemy import select

from giamsat.core.audit import AuditEntry
from tests.plugins.cases import IDENTITY
from tests.plugins.pages import field_error, text_of


def _protected_case(make_case):
    return make_case(
        title="Phản ánh có danh tính", reporter_mode="confidential", reporter=dict(IDENTITY)
    )


def _absent(text: str) -> bool:
    return not any(value in text for value in IDENTITY.values())


def test_leader_reveals_once_with_a_reason_audited_no_store(
    pages, make_case, leader, tenant_session, caplog
):
    case = _protected_case(make_case)
    pages.login("alpha", leader)
    page = pages.get(f"/t/alpha/cases/{case.id}")
    assert "Xem danh tính (phải ghi lý do)" in text_of(page) and _absent(
        page.get_data(as_text=True)
    )
    short = pages.post(f"/t/alpha/cases/{case.id}/reveal", {"reason": "cần"})
    assert short.status_code == 422 and _absent(text_of(short))
    assert "ít nhất 10 ký tự" in text_of(short)
    with caplog.at_level(logging.DEBUG):
        shown = pages.post(
            f"/t/alpha/cases/{case.id}/reveal", {"reason": "Cần liên hệ người gửi để xác minh thêm"}
        )
    assert shown.status_code == 200
    assert all(value in text_of(shown) for value in IDENTITY.values())
    assert "no-store" in shown.headers["Cache-Control"]
    assert _absent(caplog.text)
    entry = (
        tenant_session("alpha")
        .scalars(select(AuditEntry).where(AuditEntry.action == "reveal_identity"))
        .one()
    )
    assert entry.object_id == str(case.id) and _absent(str(entry.changes))
    # The page itself still shows only the mask; the history says it was viewed and why.
    after = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert _absent(after) and "Cần liên hệ người gửi để xác minh thêm" in after


def test_staff_queue_case_page_and_export_are_masked(pages, make_case):
    case = _protected_case(make_case)
    pages.login("alpha", "x-staff")
    for url in ("/t/alpha/cases/", f"/t/alpha/cases/{case.id}"):
        response = pages.get(url)
        assert _absent(response.get_data(as_text=True)), url
        assert "Đã ẩn danh tính (bảo mật)" in text_of(response)
    response = pages.get(f"/t/alpha/cases/{case.id}/reveal")
    assert response.status_code == 403


def test_export_has_the_filtered_rows_and_masked_reporters(pages, make_case):
    _protected_case(make_case)
    make_case(title='=HYPERLINK("x") thử chèn công thức', kind="complaint")
    make_case(who="y-admin", unit="commune_y", title="Của phường Tây")
    pages.login("alpha", "x-staff")
    response = pages.get("/t/alpha/cases/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert IDENTITY["name"].encode() not in response.data
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header, body = rows[0], rows[1:]
    assert "Người gửi" in header and "Số hồ sơ" in header
    flat = " ".join(str(v) for row in body for v in row)
    assert "Phản ánh có danh tính" in flat and "Đã ẩn danh tính (bảo mật)" in flat
    assert "Của phường Tây" not in flat and _absent(flat)
    # A title that looks like a formula stays text.
    assert any(str(v).startswith("'=HYPERLINK") for row in body for v in row)
    only = load_workbook(
        io.BytesIO(pages.get("/t/alpha/cases/export.xlsx?kind=complaint").data)
    ).active
    assert only.max_row == 2


def test_catalogue_admin_edits_a_label_others_cannot(pages, catalogue, tenant_session):
    from giamsat.cases.models import ClassificationCategory

    category = (
        tenant_session("alpha")
        .scalars(select(ClassificationCategory).where(ClassificationCategory.code == "CT-6"))
        .one()
    )
    pages.login("alpha", "x-admin")
    assert pages.get("/t/alpha/cases/categories").status_code == 403
    pages.post("/t/alpha/logout", {})
    pages.login("alpha", "admin")
    page = text_of(pages.get("/t/alpha/cases/categories"))
    assert "CT-6" in page and "Chưa xác nhận cách diễn đạt" in page
    bad = pages.post(
        f"/t/alpha/cases/categories/{category.id}",
        {f"c{category.id}-label": "  ", f"c{category.id}-is_active": "y"},
    )
    assert bad.status_code == 422
    assert field_error(bad, f"c{category.id}-label") == "Hãy nhập tên mục phân loại."
    good = pages.post(
        f"/t/alpha/cases/categories/{category.id}",
        {f"c{category.id}-label": "Nói một đằng, làm một nẻo"},
    )
    assert good.status_code == 302
    assert "Đã lưu mục phân loại CT-6." in text_of(pages.get(good.headers["Location"]))
    session = tenant_session("alpha")
    session.expire_all()
    stored = session.get(ClassificationCategory, category.id)
    assert stored.label == "Nói một đằng, làm một nẻo" and stored.is_active is False
    assert stored.is_overridden
