"""Intake through the page: good input gets a number, bad input a message and nothing saved."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from giamsat.cases.models import Case, CaseAttachment, ReporterIdentity
from tests.plugins.cases import IDENTITY
from tests.plugins.form_values import assert_kept
from tests.plugins.hostile import clean_pdf
from tests.plugins.pages import field_error, text_of

GOOD = {
    "received_on": "2026-03-02",
    "channel": "suggestion_box",
    "kind": "petition",
    "title": "Trưởng thôn thu tiền sai quy định",
    "content": "Thu 200.000 đồng mỗi hộ.",
    "concerned": "Ông Nguyễn Văn An, trưởng thôn",
    "tags": ["CV", "DD-7"],
    "reporter_mode": "anonymous",
}


def _count(tenant_session, model=Case) -> int:
    return tenant_session("alpha").scalar(select(func.count()).select_from(model))


def test_form_shows_grouped_tags_modes_and_protection_note(pages, catalogue):
    pages.login("alpha", "x-staff")
    text = text_of(pages.get("/t/alpha/cases/new"))
    for words in (
        "Suy thoái về tư tưởng chính trị",
        "Suy thoái về đạo đức, lối sống",
        "“Tự diễn biến”, “tự chuyển hóa”",
        "Ngoài phạm vi Quy định 124",
        "Nặc danh",
        "Giữ bí mật danh tính",
        "được mã hóa",
        "Chỉ Lãnh đạo Ủy ban được xem",
    ):
        assert words in text, words
    # How sure a wording is, is the catalogue keeper's business, not the daily form's.
    assert "chưa xác nhận" not in text and "xác nhận một phần" not in text


def test_the_tenant_admin_sees_which_wordings_are_unconfirmed(pages, catalogue):
    pages.login("alpha", "admin")
    text = text_of(pages.get("/t/alpha/cases/new"))
    assert "(cách diễn đạt chưa xác nhận)" in text
    assert "cần đối chiếu văn bản gốc khi trích dẫn" in text


def test_anonymous_intake_with_tags_and_attachment(pages, world, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    data = dict(GOOD, attachments=(io.BytesIO(clean_pdf()), "thư góp ý.pdf"))
    response = pages.post(
        f"/t/alpha/cases/new?unit={world.alpha.commune_x}", data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, text_of(response)
    page = pages.get(response.headers["Location"])
    text = text_of(page)
    assert "Đã tiếp nhận hồ sơ số 1/2026." in text
    assert "Trưởng thôn thu tiền sai quy định" in text and "Hòm thư góp ý" in text
    assert "CV" in text and "DD-7" in text and "Nặc danh" in text
    case = tenant_session("alpha").scalars(select(Case)).one()
    assert [t.code for t in case.tags] == ["DD-7", "CV"] or {t.code for t in case.tags} == {
        "CV",
        "DD-7",
    }
    attachment = tenant_session("alpha").scalars(select(CaseAttachment)).one()
    assert "thư góp ý.pdf" in text
    download = pages.get(f"/t/alpha/cases/{case.id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == clean_pdf()
    assert "no-store" in download.headers["Cache-Control"]


def test_confidential_intake_keeps_identity_out_of_the_case(pages, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    data = dict(
        GOOD,
        reporter_mode="confidential",
        reporter_name=IDENTITY["name"],
        reporter_contact=IDENTITY["contact"],
        reporter_address=IDENTITY["address"],
    )
    response = pages.post("/t/alpha/cases/new", data)
    assert response.status_code == 302, text_of(response)
    html = pages.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ẩn danh tính (bảo mật)" in html
    assert all(value not in html for value in IDENTITY.values())
    assert _count(tenant_session, ReporterIdentity) == 1


def test_missing_title_and_content_show_next_to_fields_nothing_saved(
    pages, catalogue, tenant_session
):
    pages.login("alpha", "x-staff")
    response = pages.post("/t/alpha/cases/new", dict(GOOD, title="  ", content=""))
    assert response.status_code == 422
    assert field_error(response, "title") == "Hãy nhập tiêu đề ngắn của thông tin."
    assert field_error(response, "content") == "Hãy nhập nội dung thông tin."
    # What was typed stays in the form.
    assert "Ông Nguyễn Văn An, trưởng thôn" in response.get_data(as_text=True)
    assert _count(tenant_session) == 0


def test_anonymous_with_a_name_is_refused(pages, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    response = pages.post("/t/alpha/cases/new", dict(GOOD, reporter_name=IDENTITY["name"]))
    assert response.status_code == 422
    assert "Thông tin nặc danh không được kèm họ tên" in field_error(response, "reporter_name")
    assert _count(tenant_session) == 0 and _count(tenant_session, ReporterIdentity) == 0


def test_confidential_without_name_and_bad_date_are_refused(pages, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    response = pages.post("/t/alpha/cases/new", dict(GOOD, reporter_mode="confidential"))
    assert response.status_code == 422
    assert "Hãy nhập họ tên người gửi" in field_error(response, "reporter_name")
    response = pages.post("/t/alpha/cases/new", dict(GOOD, received_on="31/02/2026"))
    assert response.status_code == 422
    assert "Ngày không hợp lệ" in field_error(response, "received_on")
    assert _count(tenant_session) == 0


def test_a_rejected_file_leaves_no_case(pages, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    data = dict(GOOD, attachments=(io.BytesIO(b"MZ\x90\x00 not a document"), "virus.exe"))
    response = pages.post("/t/alpha/cases/new", data, content_type="multipart/form-data")
    assert response.status_code == 422, text_of(response)
    assert _count(tenant_session) == 0 and _count(tenant_session, CaseAttachment) == 0


def test_reader_cannot_open_or_post_the_form(pages, world, catalogue, tenant_session):
    pages.login("alpha", "x-reader")
    assert pages.get("/t/alpha/cases/new").status_code == 403
    response = pages.post(f"/t/alpha/cases/new?unit={world.alpha.commune_x}", GOOD)
    assert response.status_code == 403
    assert _count(tenant_session) == 0


def test_intake_needs_a_csrf_token(pages, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    response = pages.post("/t/alpha/cases/new", GOOD, csrf=False)
    assert response.status_code == 400 and "Biểu mẫu đã hết hạn" in text_of(response)
    assert _count(tenant_session) == 0


def test_commune_x_cannot_record_for_commune_y(pages, world, catalogue, tenant_session):
    pages.login("alpha", "x-staff")
    assert pages.get(f"/t/alpha/cases/new?unit={world.alpha.commune_y}").status_code == 404
    response = pages.post(f"/t/alpha/cases/new?unit={world.alpha.commune_y}", GOOD)
    assert response.status_code == 404
    assert _count(tenant_session) == 0


def test_every_typed_value_is_kept_after_an_error_and_the_unit_step_too(
    pages, world, catalogue, tenant_session
):
    """The province picks commune X, then a mistake: everything typed (the unit included) is
    there again; only a chosen file has to be picked again (no browser lets a page refill it)."""
    pages.login("alpha", "admin")
    typed = dict(
        GOOD,
        reporter_mode="confidential",
        reporter_name="",
        reporter_contact=IDENTITY["contact"],
        reporter_address=IDENTITY["address"],
    )
    response = pages.post(f"/t/alpha/cases/new?unit={world.alpha.commune_x}", typed)
    assert response.status_code == 422
    assert "Hãy nhập họ tên người gửi" in field_error(response, "reporter_name")
    assert_kept(response, {k: v for k, v in typed.items() if v})
    assert f'action="/t/alpha/cases/new?unit={world.alpha.commune_x}"' in response.get_data(
        as_text=True
    )
    assert _count(tenant_session) == 0
