"""The letter viewer: pages, images and downloads behind the access check, OCR status and
text, rescans as versions, and isolation between communes."""

from __future__ import annotations

import hashlib
import io

from PIL import Image
from sqlalchemy import update

from giamsat.letters.models import Letter, LetterPage, OcrStatus
from tests.plugins.letters import as_bytes, letter_page
from tests.plugins.pages import text_of


def _pages_of(tenant_session, letter_id):
    return (
        tenant_session("alpha")
        .query(LetterPage)
        .filter_by(letter_id=letter_id)
        .order_by(LetterPage.file_id, LetterPage.page_number)
        .all()
    )


def test_the_viewer_shows_pages_status_files_versions_and_the_case(
    pages, make_opening, make_letters, tenant_session, letter_jpeg, two_page_pdf
):
    opening = make_opening()
    [letter_id] = make_letters(
        opening, [[(letter_jpeg, "trang-1.jpg"), (two_page_pdf, "trang-2-3.pdf")]]
    )
    letter = tenant_session("alpha").get(Letter, letter_id)
    rows = _pages_of(tenant_session, letter_id)
    assert len(rows) == 3
    pages.login("alpha", "x-staff")
    response = pages.get(f"/t/alpha/letters/{letter_id}")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), text_of(response)
    assert "Trang 1 / 3" in text and "Đang chờ nhận dạng chữ" in text
    for row in rows:
        assert f"/t/alpha/letters/{letter_id}/pages/{row.id}/thumb.jpg" in html
    assert f'href="/t/alpha/cases/{letter.case_id}"' in html
    assert "Tải về trang-1.jpg" in text and "Tải về trang-2-3.pdf" in text
    assert "Lần 1 · đang xem" in text and "Lưu bản quét mới" in text
    # The zoom and rotate tools come with the script; the full-size link works without it.
    assert 'class="viewer-tools" hidden' in html and "Mở ảnh cỡ lớn" in text
    assert "/static/letters.js" in html and "<script>" not in html
    # A PDF page is chosen by its id.
    third = pages.get(f"/t/alpha/letters/{letter_id}?page={rows[2].id}")
    assert "Trang 3 / 3" in text_of(third)


def test_images_and_downloads_stream_through_the_app_privately(
    pages, make_opening, make_letters, tenant_session, letter_jpeg, two_page_pdf
):
    opening = make_opening()
    [letter_id] = make_letters(
        opening, [[(letter_jpeg, "trang-1.jpg"), (two_page_pdf, "trang-2-3.pdf")]]
    )
    letter = tenant_session("alpha").get(Letter, letter_id)
    jpeg_page, pdf_page, _third = _pages_of(tenant_session, letter_id)
    pages.login("alpha", "x-staff")
    base = f"/t/alpha/letters/{letter_id}"
    full = pages.get(f"{base}/pages/{jpeg_page.id}/image")
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert full.headers["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(full.data)).size == Image.open(io.BytesIO(letter_jpeg)).size
    rendered = pages.get(f"{base}/pages/{pdf_page.id}/image")
    assert rendered.status_code == 200 and rendered.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(rendered.data)).size) == 1600
    thumb = pages.get(f"{base}/pages/{pdf_page.id}/thumb.jpg")  # before OCR: rendered now
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) == 300
    original = letter.files[1]
    download = pages.get(f"{base}/files/{original.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert hashlib.sha256(download.data).hexdigest() == original.sha256  # as stored, cleaned
    assert download.headers["Content-Disposition"].startswith('attachment; filename="trang-2-3')
    assert download.headers["Cache-Control"] == "private, no-store"
    # The page never hands out a storage address.
    assert original.object_key not in pages.get(base).get_data(as_text=True)


def test_ocr_text_and_each_status_are_shown(
    pages, make_opening, make_letters, tenant_session, letter_jpeg
):
    opening = make_opening()
    [letter_id] = make_letters(opening, [[(letter_jpeg, "a.jpg")]])
    session = tenant_session("alpha")
    url = f"/t/alpha/letters/{letter_id}"
    pages.login("alpha", "x-staff")

    def set_status(**values):
        session.execute(update(Letter).where(Letter.id == letter_id).values(**values))
        session.commit()

    set_status(ocr_status=OcrStatus.failed, ocr_error="tesseract báo lỗi: hết bộ nhớ")
    text = text_of(pages.get(url))
    assert "Nhận dạng chữ bị lỗi" in text and "Lý do: tesseract báo lỗi: hết bộ nhớ" in text
    assert "Nhận dạng lại" in text
    set_status(ocr_status=OcrStatus.unavailable, ocr_error="chưa cài Tesseract trên máy chủ")
    text = text_of(pages.get(url))
    assert "Máy chủ chưa có phần mềm nhận dạng chữ" in text and "vẫn được lưu" in text
    retry = pages.post(f"{url}/ocr")
    assert retry.status_code == 302
    session.expire_all()
    assert session.get(Letter, letter_id).ocr_status == OcrStatus.queued
    session.execute(
        update(LetterPage)
        .where(LetterPage.letter_id == letter_id)
        .values(text="Đề nghị sửa đường làng")
    )
    set_status(ocr_status=OcrStatus.done, ocr_error=None)
    text = text_of(pages.get(url))
    assert "Đã nhận dạng chữ" in text and "Đề nghị sửa đường làng" in text
    assert "Nhận dạng lại" not in text


def test_a_rescan_is_a_new_version_and_the_original_stays(
    pages, make_opening, make_letters, tenant_session, letter_jpeg
):
    opening = make_opening()
    [first_id] = make_letters(opening, [[(letter_jpeg, "mo.jpg")]])
    first = tenant_session("alpha").get(Letter, first_id)
    first_key, first_sha = first.files[0].object_key, first.files[0].sha256
    sharper = as_bytes(letter_page(dpi=150), "PNG")
    pages.login("alpha", "x-staff")
    response = pages.post(
        f"/t/alpha/letters/{first_id}/rescan",
        {"files": [(io.BytesIO(sharper), "ro.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session = tenant_session("alpha")
    session.expire_all()
    versions = session.query(Letter).filter_by(case_id=first.case_id).order_by(Letter.version)
    old, new = versions.all()
    assert (old.id, new.version, new.replaces_id) == (first_id, 2, first_id)
    assert old.files[0].object_key == first_key and old.files[0].sha256 == first_sha
    text = text_of(pages.get(response.headers["Location"]))
    assert "Đã lưu bản quét mới (lần 2)" in text and "Lần 2 · đang xem" in text
    old_page = text_of(pages.get(f"/t/alpha/letters/{first_id}"))
    assert "đã có bản quét mới hơn" in old_page
    assert pages.get(f"/t/alpha/letters/{first_id}/files/{old.files[0].id}").status_code == 200
    # The opening lists the letter once, at its newest version.
    opening_text = text_of(pages.get(f"/t/alpha/letters/openings/{opening.id}"))
    assert "1 trên 2 thư" in opening_text and "quét lại lần 2" in opening_text


def test_a_bad_rescan_is_refused_and_nothing_changes(
    pages, make_opening, make_letters, tenant_session, bucket_keys, letter_jpeg
):
    opening = make_opening()
    [letter_id] = make_letters(opening, [[(letter_jpeg, "a.jpg")]])
    before = bucket_keys("alpha")
    pages.login("alpha", "x-staff")
    response = pages.post(
        f"/t/alpha/letters/{letter_id}/rescan",
        {"files": [(io.BytesIO(b"#!/bin/sh\nrm -rf /"), "thu.jpg")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "tệp chương trình" in text and "“thu.jpg”" in text and "Chưa có gì được lưu" in text
    none = pages.post(
        f"/t/alpha/letters/{letter_id}/rescan", {}, content_type="multipart/form-data"
    )
    assert none.status_code == 422 and "Hãy chọn tệp bản quét mới" in text_of(none)
    assert tenant_session("alpha").query(Letter).count() == 1
    assert bucket_keys("alpha") == before


def test_a_reader_views_but_has_no_actions(
    pages, make_opening, make_letters, tenant_session, letter_jpeg
):
    opening = make_opening()
    [letter_id] = make_letters(opening, [[(letter_jpeg, "a.jpg")]])
    page = _pages_of(tenant_session, letter_id)[0]
    tenant_session("alpha").execute(update(Letter).values(ocr_status=OcrStatus.failed))
    tenant_session("alpha").commit()
    pages.login("alpha", "x-reader")
    response = pages.get(f"/t/alpha/letters/{letter_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/rescan" not in html and f"/letters/{letter_id}/ocr" not in html
    assert pages.get(f"/t/alpha/letters/{letter_id}/pages/{page.id}/image").status_code == 200
    rescan = pages.post(
        f"/t/alpha/letters/{letter_id}/rescan",
        {"files": [(io.BytesIO(letter_jpeg), "b.jpg")]},
        content_type="multipart/form-data",
    )
    assert rescan.status_code == 403
    assert pages.post(f"/t/alpha/letters/{letter_id}/ocr").status_code == 403
    assert tenant_session("alpha").query(Letter).count() == 1


def test_another_commune_gets_404_on_letters_pages_images_and_files(
    pages, make_opening, make_box, make_letters, tenant_session, letter_jpeg
):
    mine = make_letters(make_opening(), [[(letter_jpeg, "x.jpg")]])[0]
    opening_y = make_opening(who="y-admin", box=make_box(who="y-admin", area="area_y"))
    theirs = make_letters(opening_y, [[(letter_jpeg, "y.jpg")]], who="y-admin")[0]
    their_page = _pages_of(tenant_session, theirs)[0]
    their_file = tenant_session("alpha").get(Letter, theirs).files[0]
    pages.login("alpha", "x-staff")
    for url in (
        f"/t/alpha/letters/{theirs}",
        f"/t/alpha/letters/{theirs}/pages/{their_page.id}/image",
        f"/t/alpha/letters/{theirs}/pages/{their_page.id}/thumb.jpg",
        f"/t/alpha/letters/{theirs}/files/{their_file.id}",
        # Their page or file under my letter's id: still not found.
        f"/t/alpha/letters/{mine}/pages/{their_page.id}/image",
        f"/t/alpha/letters/{mine}/files/{their_file.id}",
    ):
        assert pages.get(url).status_code == 404, url
    assert pages.post(f"/t/alpha/letters/{theirs}/ocr").status_code == 404
    assert (
        pages.post(
            f"/t/alpha/letters/{theirs}/rescan",
            {"files": [(io.BytesIO(letter_jpeg), "b.jpg")]},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )


def test_a_session_of_one_tenant_cannot_open_another_tenants_letters(
    pages, make_opening, make_letters, letter_jpeg, tenant_session
):
    beta_opening = make_opening(slug="beta")
    [beta_letter] = make_letters(beta_opening, [[(letter_jpeg, "b.jpg")]], slug="beta")
    beta_file = tenant_session("beta").get(Letter, beta_letter).files[0]
    pages.login("alpha", "x-staff")
    for url in (
        f"/t/beta/letters/{beta_letter}",
        f"/t/beta/letters/{beta_letter}/files/{beta_file.id}",
        f"/t/beta/letters/openings/{beta_opening.id}",
    ):
        response = pages.get(url)
        assert response.status_code == 302 and "/t/beta/login" in response.headers["Location"]
    assert pages.get(f"/t/alpha/letters/{beta_letter}/files/{beta_file.id}").status_code == 404
