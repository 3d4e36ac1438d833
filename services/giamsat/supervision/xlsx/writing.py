"""Writing the list: the empty template (with drop-downs and a guide sheet) and the export of
a register, both in the import's layout."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.spreadsheets import Column as SheetColumn
from giamsat.core.spreadsheets import SheetSpec, workbook_bytes, write_sheet
from giamsat.supervision import queries
from giamsat.supervision.models import SupervisedPerson
from giamsat.supervision.xlsx.layout import COLUMNS, MANAGEMENT_LEVEL_LABELS, TIER_LABELS
from giamsat.units.queries import get_unit


def _fill_list(sheet, title: str, subtitle: str, rows) -> int:
    """Title lines, the header row (frozen, fitted) and the rows, in the import's layout;
    returns the header row number."""
    columns = [
        SheetColumn(c.header, "number" if c.key in ("stt", "birth_year") else "text")
        for c in COLUMNS
    ]
    write_sheet(sheet, SheetSpec("Danh sách", columns, rows, heading=(title, subtitle)))
    sheet["A1"].font = Font(bold=True, size=13)
    return HEADER_ROW


#: Two title lines and a blank one above the header (the import finds it among the first rows).
HEADER_ROW = 4


def _column_letter(key: str) -> str:
    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)


#: The hidden sheet holding the drop-down options (Excel list formulas cannot hold commas).
CHOICES_SHEET = "Lựa chọn"


def _add_choices(workbook: Workbook, sheet, first_row: int, last_row: int) -> None:
    """Drop-down lists on the category columns, so nobody has to type them exactly."""
    choices = workbook.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    for index, (key, options) in enumerate(
        (
            ("tier", list(TIER_LABELS.values())),
            ("management_level", list(MANAGEMENT_LEVEL_LABELS.values())),
            ("is_party_member", ["có", "không"]),
        ),
        start=1,
    ):
        source = get_column_letter(index)
        for row, option in enumerate(options, start=1):
            choices.cell(row=row, column=index, value=option)
        validation = DataValidation(
            type="list",
            formula1=f"'{CHOICES_SHEET}'!${source}$1:${source}${len(options)}",
            allow_blank=True,
            showErrorMessage=False,
        )
        letter = _column_letter(key)
        validation.add(f"{letter}{first_row}:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _guide(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Hướng dẫn")
    lines = [
        ("Cách điền danh sách người thuộc diện giám sát", ""),
        ("", ""),
        ("Cột", "Cách ghi"),
        ("STT", "Số thứ tự, có thể bỏ trống."),
        ("Họ và tên", "Bắt buộc. Ghi đầy đủ, có dấu."),
        ("Năm sinh", "4 chữ số, ví dụ 1975. Có thể bỏ trống."),
        ("Chức vụ", "Bắt buộc, ví dụ “Bí thư Đảng ủy xã”."),
        ("Đối tượng", "Bắt buộc, một trong: " + "; ".join(TIER_LABELS.values()) + "."),
        ("Cơ quan công tác", "Bắt buộc, ví dụ “UBND xã Yên Mô”."),
        ("Đơn vị", "Phòng, ban trong cơ quan. Có thể bỏ trống."),
        ("Nơi cư trú", "Tên thôn, tổ dân phố (đúng như trong phần mềm) hoặc địa chỉ."),
        (
            "Diện quản lý",
            "Một trong: " + "; ".join(MANAGEMENT_LEVEL_LABELS.values()) + ". Bỏ trống là “Khác”.",
        ),
        ("Đảng viên", "“có” hoặc “không”. Bỏ trống là “không”."),
        ("Ghi chú", "Có thể bỏ trống."),
        ("", ""),
        (
            "Lưu ý",
            (
                "Không đổi tên, không xóa các cột. Mỗi người một dòng. Nếu có dòng sai, "
                "phần mềm báo từng dòng và chưa nhập người nào cho tới khi sửa hết."
            ),
        ),
    ]
    for row in lines:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A3"].font = sheet["B3"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100


def _to_bytes(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


def template_workbook() -> bytes:
    """An empty list with the header row, drop-downs and a guide sheet."""
    workbook = Workbook()
    sheet = workbook.active
    header = _fill_list(
        sheet,
        "DANH SÁCH NGƯỜI THUỘC DIỆN GIÁM SÁT",
        "(Theo Quy định 124-QĐ/TW ngày 02/02/2018. Điền từ dòng 5 trở đi.)",
        (),
    )
    _guide(workbook)
    _add_choices(workbook, sheet, header + 1, header + 1000)
    return _to_bytes(workbook)


def person_row(number: int, person: SupervisedPerson) -> list[Any]:
    residence = person.residence or (person.residence_area.name if person.residence_area else "")
    return [
        number,
        person.full_name,
        person.birth_year,
        person.position,
        TIER_LABELS[person.tier],
        person.workplace_agency,
        person.workplace_unit,
        residence,
        MANAGEMENT_LEVEL_LABELS[person.management_level],
        "có" if person.is_party_member else "không",
        person.notes,
    ]


def export_people(
    session: Session, principal, *, unit_id: int | None = None, **filters: Any
) -> bytes:
    """The register (filters as in `queries.list_people_query`) in the import layout."""
    unit = get_unit(session, unit_id, principal) if unit_id is not None else None
    people = queries.list_people(session, principal, unit_id=unit_id, **filters)
    workbook = Workbook()
    sheet = workbook.active
    subtitle = (
        f"Đơn vị: {unit.name}. " if unit else ""
    ) + f"Xuất ngày {clock.today():%d/%m/%Y}, {len(people)} người."
    header = _fill_list(
        sheet,
        "DANH SÁCH NGƯỜI THUỘC DIỆN GIÁM SÁT",
        subtitle,
        [person_row(number, person) for number, person in enumerate(people, start=1)],
    )
    _guide(workbook)
    _add_choices(workbook, sheet, header + 1, header + len(people) + 200)
    return _to_bytes(workbook)
