"""Every XLSX the product writes goes out through `workbook_bytes`: no cell is ever a formula.

Text that a spreadsheet program would run (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) comes from
people — names, titles, notes — so each such cell is written as text with a leading apostrophe,
the spreadsheet convention for "this is text". Numbers and dates are left alone."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

#: Characters that make a spreadsheet treat a cell as a formula (CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """The value as a cell may hold it: text that starts like a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(workbook: Workbook) -> None:
    """Turn every formula-like cell of every sheet into text (in place)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" and not isinstance(value, str):
                    value = str(getattr(value, "text", value))  # array/table formula objects
                if isinstance(value, str) and (cell.data_type == "f" or value != neutral(value)):
                    cell.value = neutral(value) if value.startswith(FORMULA_START) else value
                    cell.data_type = "s"


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as an .xlsx file, formulas neutralised."""
    neutralise(workbook)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
