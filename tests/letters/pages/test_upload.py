"""Batch upload through the page: letters become cases; refused files and storage outages
leave nothing behind and say what to do."""

from __future__ import annotations

from PIL import Image

from giamsat.cases.models import Case, CaseStatus, Channel
from giamsat.core.storage import StorageError
from giamsat.letters.models import Letter, LetterFile
from giamsat.letters.operations import letters as operations
from tests.plugins.letters import as_bytes, letter_page, upload_batch
from tests.plugins.pages import field_error, text_of


def test_the_upload_page_has_one_slot_per_letter_found_and_works_without_js(pages, make_opening):
    opening = make_opening(letters_found=4)
    pages.login("alpha", "x-staff")
    response = pages.get(f"/t/alpha/letters/openings/{opening.id}/upload")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    for n in range(1, 5):
        assert f'name="letter_{n}"' in html
    assert 'name="letter_5"' not in html
    assert "/static/letters.js" in html and "<script>" not in html
    more = pages.get(f"/t/alpha/letters/openings/{opening.id}/upload?slots=7")
    assert 'name="letter_7"' in more.get_data(as_text=True)


def test_two_letters_one_with_two_files_become_two_received_cases(
    pages, make_opening, tenant_session, bucket_keys, letter_jpeg, two_page_pdf, world
):
    opening = make_opening()
    png = as_bytes(letter_page(["Trang hai"], dpi=100), "PNG")
    pages.login("alpha", "x-staff")
    response = upload_batch(
        pages,
        opening.id,
        [
            [(letter_jpeg, "thu-1.jpg")],
            [(two_page_pdf, "thu-2-phan-1.pdf"), (png, "thu-2-phan-2.png")],
        ],
    )
    assert response.status_code == 302, text_of(response)
    session = tenant_session("alpha")
    letters = session.query(Letter).order_by(Letter.id).all()
    assert len(letters) == 2
    assert [len(letter.files) for letter in letters] == [1, 2]
    assert [f.content_type for f in letters[1].files] == ["application/pdf", "image/png"]
    assert sum(f.page_count for f in letters[1].files) == 3
    cases = [session.get(Case, letter.case_id) for letter in letters]
    assert all(
        c.status == CaseStatus.received and c.channel == Channel.suggestion_box for c in cases
    )
    assert all(
        c.unit_id == world.alpha.commune_x and c.area_id == world.alpha.area_x for c in cases
    )
    keys = bucket_keys("alpha")
    assert all(f.object_key in keys for letter in letters for f in letter.files)
    page = pages.get(response.headers["Location"].split("#")[0])
    text = text_of(page)
    assert "Đã nhập 2 thư" in text and "2 trên 2 thư" in text
    assert cases[0].number in text and "Đang chờ nhận dạng chữ" in text


def test_a_refused_file_names_the_letter_and_file_and_stores_nothing(
    pages, make_opening, tenant_session, bucket_keys, letter_jpeg
):
    opening = make_opening()
    before = bucket_keys("alpha")
    cases_before = tenant_session("alpha").query(Case).count()
    pages.login("alpha", "x-staff")
    renamed = b"MZ\x90\x00" + b"\x00" * 200
    response = upload_batch(
        pages,
        opening.id,
        [
            [(letter_jpeg, "thu-1.jpg")],
            [(letter_jpeg, "thu-2-trang-1.jpg"), (renamed, "thu-2-trang-2.jpg")],
        ],
    )
    assert response.status_code == 422
    message = field_error(response, "letter_2")
    assert "Tệp “thu-2-trang-2.jpg”" in message and "tệp chương trình" in message
    assert "Chưa có thư nào được lưu" in text_of(response)
    assert field_error(response, "letter_1") == ""
    assert 'name="letter_2"' in response.get_data(as_text=True)  # the form is back to retry
    session = tenant_session("alpha")
    assert session.query(Letter).count() == 0 and session.query(LetterFile).count() == 0
    assert session.query(Case).count() == cases_before
    assert bucket_keys("alpha") == before


def test_empty_truncated_and_oversize_files_have_clear_messages(
    pages, make_opening, tenant_session, bucket_keys, letter_jpeg, monkeypatch
):
    opening = make_opening()
    before = bucket_keys("alpha")
    pages.login("alpha", "x-staff")
    empty = upload_batch(pages, opening.id, [[(b"", "trong.jpg")]])
    assert empty.status_code == 422 and "tệp rỗng" in field_error(empty, "letter_1")
    truncated = upload_batch(pages, opening.id, [[(letter_jpeg[:2000], "dut.jpg")]])
    assert truncated.status_code == 422
    assert "bị hỏng hoặc không đầy đủ" in field_error(truncated, "letter_1")
    text_file = upload_batch(pages, opening.id, [[("Xin chào".encode(), "thu.pdf")]])
    assert "Chỉ nhận ảnh chụp hoặc bản quét" in field_error(text_file, "letter_1")
    from giamsat.letters import scans

    monkeypatch.setattr(scans, "MAX_FILE_BYTES", 10_000)
    big = upload_batch(pages, opening.id, [[(letter_jpeg, "lon.jpg")]])
    assert big.status_code == 422 and "tệp quá lớn" in field_error(big, "letter_1")
    bomb = Image.new("1", (9000, 9000))
    bombed = upload_batch(pages, opening.id, [[(as_bytes(bomb, "PNG"), "bom.png")]])
    assert "quá lớn" in field_error(bombed, "letter_1")
    assert tenant_session("alpha").query(Letter).count() == 0
    assert bucket_keys("alpha") == before


def test_a_batch_above_the_apps_request_cap_reaches_the_upload_checks(
    pages, make_opening, tenant_session
):
    """Scans are big: the page takes batches above the app's 16 MB request cap (the files go
    to disk while the form is parsed), and each file is then checked on its own."""
    opening = make_opening()
    pages.login("alpha", "x-staff")
    big = b"%PDF-1.4\n" + b"0" * (17 * 1024 * 1024)
    response = upload_batch(pages, opening.id, [[(big, "thu-lon.pdf")]])
    assert response.status_code == 422
    assert "PDF bị hỏng" in field_error(response, "letter_1")
    assert tenant_session("alpha").query(Letter).count() == 0


def test_nothing_chosen_is_a_plain_message(pages, make_opening):
    opening = make_opening()
    pages.login("alpha", "x-staff")
    response = upload_batch(pages, opening.id, [[]])
    assert response.status_code == 422
    assert "Hãy chọn tệp bản quét cho ít nhất một thư." in text_of(response)


class _FailingAfter:
    """The tenant's storage, failing from the `fail_at`-th write on (S3 down mid-upload)."""

    def __init__(self, storage, fail_at: int):
        self._storage, self._fail_at, self.puts = storage, fail_at, 0

    def put(self, key, stream, **kwargs):
        self.puts += 1
        if self.puts >= self._fail_at:
            raise StorageError("Kho lưu trữ không trả lời.", operation="put", key=key)
        return self._storage.put(key, stream, **kwargs)

    def __getattr__(self, name):
        return getattr(self._storage, name)


def test_storage_outage_mid_batch_asks_to_retry_and_leaves_nothing(
    pages,
    make_opening,
    tenant_session,
    bucket_keys,
    storage_of,
    letter_jpeg,
    two_page_pdf,
    monkeypatch,
):
    opening = make_opening()
    before = bucket_keys("alpha")
    flaky = _FailingAfter(storage_of("alpha"), fail_at=2)
    monkeypatch.setattr(operations, "_tenant_storage", lambda: flaky)
    pages.login("alpha", "x-staff")
    response = upload_batch(
        pages, opening.id, [[(letter_jpeg, "a.jpg")], [(two_page_pdf, "b.pdf")]]
    )
    assert response.status_code == 503
    text = text_of(response)
    assert "chưa có gì được lưu" in text and "Hãy thử lại sau ít phút" in text
    assert flaky.puts == 2 and bucket_keys("alpha") == before
    assert tenant_session("alpha").query(Letter).count() == 0


def test_readers_and_other_communes_cannot_upload(
    pages, make_opening, make_box, letter_jpeg, tenant_session
):
    opening = make_opening()
    opening_y = make_opening(who="y-admin", box=make_box(who="y-admin", area="area_y"))
    pages.login("alpha", "x-reader")
    url = f"/t/alpha/letters/openings/{opening.id}/upload"
    assert pages.get(url).status_code == 403
    assert upload_batch(pages, opening.id, [[(letter_jpeg, "a.jpg")]]).status_code == 403
    pages.login("alpha", "x-staff")
    assert upload_batch(pages, opening_y.id, [[(letter_jpeg, "a.jpg")]]).status_code == 404
    assert tenant_session("alpha").query(Letter).count() == 0
