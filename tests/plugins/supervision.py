"""Supervision test data: the import layout's headers, good rows, XLSX files and a new person."""

from __future__ import annotations

import io

from openpyxl import Workbook

#: The layout's headers, as the template writes them.
HEADERS = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Chức vụ",
    "Đối tượng",
    "Cơ quan công tác",
    "Đơn vị",
    "Nơi cư trú",
    "Diện quản lý",
    "Đảng viên",
    "Ghi chú",
]

#: Three good rows of a commune's list.
GOOD_ROWS = [
    [
        1,
        "Nguyễn Văn An",
        1970,
        "Bí thư Đảng ủy xã",
        "Người đứng đầu",
        "Đảng ủy xã Đông",
        "",
        "Thôn Một",
        "Ban Thường vụ Tỉnh ủy quản lý",
        "có",
        "",
    ],
    [
        2,
        "Trần Thị Bình",
        "1982",
        "Chủ tịch UBND xã",
        "Cán bộ chủ chốt",
        "UBND xã Đông",
        "Văn phòng",
        "Xóm Ba, thôn Năm",
        "Đảng ủy xã quản lý",
        "Có",
        "Mới bổ nhiệm",
    ],
    [
        3,
        "Lê Văn Cường",
        None,
        "Công chức địa chính",
        "Cán bộ, đảng viên",
        "UBND xã Đông",
        "Địa chính",
        "",
        "",
        "không",
        None,
    ],
]


def xlsx_bytes(
    rows, headers=HEADERS, title: str | None = "DANH SÁCH ĐỐI TƯỢNG GIÁM SÁT", sheets: int = 1
) -> bytes:
    """A workbook with an optional title row, a blank row, the header row and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for index in range(1, sheets):
        workbook.create_sheet(f"Khác {index}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


#: A valid body for creating a person through the API.
NEW_PERSON = {
    "full_name": "Phạm Văn Dũng",
    "birth_year": 1968,
    "position": "Trưởng thôn",
    "tier": "key_cadre",
    "workplace_agency": "UBND xã Đông",
    "management_level": "commune_party_committee",
    "is_party_member": True,
}
