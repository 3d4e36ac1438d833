"""The forwarding document sends a case with its deadline and never who reported it."""

from __future__ import annotations

from tests.plugins.docx import docx_texts
from tests.plugins.pages import text_of
from tests.plugins.protection import IDENTITY, NEEDLES


def test_a_forwarded_case_has_its_document_without_the_reporter(pages, make_case):
    case = make_case(
        status="awaiting_response",
        reporter_mode="confidential",
        reporter=dict(IDENTITY),
        title="Cán bộ thu tiền sai quy định",
        concerned="Ông Lê Văn Thu, cán bộ thôn",
    )
    pages.login("alpha", "x-staff")
    assert "Tải phiếu chuyển" in text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    response = pages.get(f"/t/alpha/cases/{case.id}/phieu-chuyen.docx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    body = "\n".join(docx_texts(response.data))
    assert "PHIẾU CHUYỂN" in body and "Số: 01/PC-MTTQ" in body
    assert "BAN THƯỜNG TRỰC ỦY BAN MTTQ XÃ ĐÔNG ALPHA" in body
    assert "Kính gửi: Đảng ủy xã." in body and f"hồ sơ số {case.number}" in body
    assert "Ông Lê Văn Thu, cán bộ thôn" in body
    assert f"trước ngày {case.due_on:%d/%m/%Y}" in body
    for needle in NEEDLES:
        assert needle not in body, needle


def test_a_case_not_yet_forwarded_has_none_and_other_communes_see_none(pages, make_case):
    received = make_case()
    forwarded = make_case(status="awaiting_response")
    pages.login("alpha", "x-staff")
    missing = pages.get(f"/t/alpha/cases/{received.id}/phieu-chuyen.docx")
    assert missing.status_code == 404 and "chưa có phiếu chuyển" in text_of(missing)
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    pages.login("alpha", "y-admin")
    assert pages.get(f"/t/alpha/cases/{forwarded.id}/phieu-chuyen.docx").status_code == 404
