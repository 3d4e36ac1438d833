"""The queue's XLSX reads as a person would want it: words first, codes hidden at the end,
a frozen header, fitted widths and real dates."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from giamsat.core import clock


def test_queue_export_is_for_people(pages, make_case):
    make_case(title="Đường liên thôn bị hỏng lâu chưa sửa, người dân đi lại khó khăn")
    pages.login("alpha", "x-staff")
    sheet = load_workbook(io.BytesIO(pages.get("/t/alpha/cases/export.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Số hồ sơ"
    assert header[-3:] == ["Mã phân loại", "Mã loại thông tin", "Mã trạng thái"]
    hidden = [sheet.cell(row=1, column=i).column_letter for i in range(1, len(header) + 1)]
    assert [sheet.column_dimensions[c].hidden for c in hidden] == [False] * 12 + [True] * 3
    assert sheet.freeze_panes == "A2"
    row = [c.value for c in sheet[2]]
    by = dict(zip(header, row, strict=True))
    # The classification by its name (the tenant's catalogue), its code only in the hidden column.
    assert by["Mã phân loại"] == "CV" and by["Phân loại"] and by["Phân loại"] != "CV"
    assert by["Loại thông tin"] == "Phản ánh, kiến nghị" and by["Mã loại thông tin"] == "petition"
    received = sheet.cell(row=2, column=header.index("Ngày tiếp nhận") + 1)
    assert isinstance(received.value, dt.datetime) and received.value.date() == clock.today()
    assert received.number_format == "dd/mm/yyyy"
    title = sheet.column_dimensions[hidden[header.index("Tiêu đề")]]
    assert 40 <= title.width <= 60  # fitted to the long title, capped (the text wraps)
