"""XLSX import in two steps (upload → preview → confirm), template download and export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.plugins.pages import field_error, text_of
from tests.plugins.supervision import GOOD_ROWS, xlsx_bytes

URL = "/t/alpha/supervision/people/import"


def _upload(pages, world, data: bytes, name: str = "danh-sach.xlsx"):
    return pages.post(
        URL,
        {"unit_id": world.alpha.commune_x, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_file_with_bad_rows_shows_each_rows_error_and_imports_nothing(pages, world, people_count):
    pages.login("alpha", "x-staff")
    rows = [
        GOOD_ROWS[0],
        [2, "Trần Văn Sai", "19x5", "Cán bộ", "Cán bộ, đảng viên", "UBND", "", "", "", "không", ""],
        GOOD_ROWS[0],
    ]
    response = _upload(pages, world, xlsx_bytes(rows))
    assert response.status_code == 422
    text = text_of(response)
    assert "Tệp có lỗi: chưa nhập người nào" in text and "Không có ai được nhập" in text
    assert "Dòng 5:" in text  # the bad year, by its line in the sheet
    assert "trùng với dòng 4" in text
    assert "Nhập tất cả" not in text
    # Nothing is waiting either: confirming now imports nothing.
    confirm = pages.post(f"{URL}/confirm", follow_redirects=True)
    assert "Không còn tệp nào chờ nhập" in text_of(confirm)
    assert people_count("alpha") == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_field(pages, world, people_count):
    pages.login("alpha", "x-staff")
    response = _upload(pages, world, b"Ho va ten;Nam sinh\nAn;1970\n", "danh-sach.xlsx")
    assert response.status_code == 422
    assert "không phải bảng tính Excel" in field_error(response, "file")
    missing = pages.post(
        URL, {"unit_id": world.alpha.commune_x}, content_type="multipart/form-data"
    )
    assert missing.status_code == 422 and "Hãy chọn tệp" in field_error(missing, "file")
    assert people_count("alpha") == 0


def test_good_file_is_previewed_then_imported_whole_on_confirm(
    pages, world, people_count, audit_count
):
    pages.login("alpha", "x-staff")
    preview = _upload(pages, world, xlsx_bytes(GOOD_ROWS))
    assert preview.status_code == 200
    text = text_of(preview)
    assert "Xem trước: 3 người sẽ được nhập vào Xã Đông Alpha" in text
    assert "Trần Thị Bình" in text and "Cán bộ chủ chốt" in text
    assert people_count("alpha") == 0  # the preview writes nothing
    done = pages.post(f"{URL}/confirm", follow_redirects=True)
    assert "Đã nhập 3 người vào danh sách giám sát." in text_of(done)
    assert people_count("alpha") == 3
    assert audit_count("alpha", object_type="supervised_people", action="import") == 3
    # The same file again: every row is now a duplicate, nothing more is imported.
    again = _upload(pages, world, xlsx_bytes(GOOD_ROWS))
    assert again.status_code == 422 and "đã có trong danh sách" in text_of(again)
    assert people_count("alpha") == 3


def test_cancelled_import_imports_nothing(pages, world, people_count):
    pages.login("alpha", "x-staff")
    _upload(pages, world, xlsx_bytes(GOOD_ROWS))
    cancelled = pages.post(f"{URL}/cancel", follow_redirects=True)
    assert "Đã hủy, không nhập người nào." in text_of(cancelled)
    assert "Không còn tệp nào chờ nhập" in text_of(
        pages.post(f"{URL}/confirm", follow_redirects=True)
    )
    assert people_count("alpha") == 0


def test_template_and_export_are_spreadsheets_of_the_register(pages, register):
    pages.login("alpha", "x-reader")
    template = pages.get("/t/alpha/supervision/people/template.xlsx")
    assert template.status_code == 200
    assert template.mimetype.endswith("spreadsheetml.sheet")
    load_workbook(io.BytesIO(template.data))
    export = pages.get("/t/alpha/supervision/people/export.xlsx?tier=head")
    assert export.status_code == 200
    cells = [
        c
        for row in load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert "Nguyễn Văn X" in cells and "Nguyễn Văn Y" not in cells
