"""Every XLSX the product writes goes out through `workbook_bytes`: no cell is ever a formula.

Text that a spreadsheet program would run (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) comes from
people — names, titles, notes — so each such cell is written as text with a leading apostrophe,
the spreadsheet convention for "this is text". Numbers and dates are left alone.

Sheets people read are described once (`SheetSpec` of `Column`s) and written by `write_sheet`:
Vietnamese headers, codes last and hidden, a frozen header row, fitted widths, real dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from giamsat.core import clock

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


# --- sheets people read: one spec, one writer ----------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet people read: its Vietnamese header and how its cells are shown.

    `kind` "date" / "datetime" cells become real Excel dates shown dd/mm/yyyy (hh:mm);
    `is_code` columns hold machine codes (`activities.dissemination`): they go last, hidden,
    so a person sees names and a program re-reading the file still finds the codes."""

    title: str
    kind: str = "text"  # text | number | date | datetime
    is_code: bool = False
    #: Wrap long text (notes, methods) instead of widening the column past MAX_WIDTH.
    wrap: bool = False


@dataclass
class SheetSpec:
    """A sheet: optional heading lines above the table, the columns and the rows (one value per
    column, in `columns` order). Codes may be listed anywhere: the writer moves them last."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    heading: Sequence[str] = ()


DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60


def _cell_value(value: Any, column: Column) -> Any:
    if isinstance(value, dt.datetime):
        # Excel has no time zones: a moment is written as Vietnam wall-clock time.
        if value.tzinfo is not None:
            value = value.astimezone(clock.zone()).replace(tzinfo=None)
        return value if column.kind == "datetime" else value.date()
    if hasattr(value, "__html__") or type(value).__name__ == "LazyString":
        value = str(value)  # a lazy label
    return neutral(value)


def _shown_length(value: Any, column: Column) -> int:
    if value is None:
        return 0
    if column.kind == "date":
        return 10
    if column.kind == "datetime":
        return 16
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_sheet(sheet, spec: SheetSpec) -> None:
    """Fill `sheet`: heading lines, a bold frozen header row, the rows, widths fitted to the
    content (capped; long text wraps), dates as dates, code columns last and hidden."""
    order = sorted(range(len(spec.columns)), key=lambda i: spec.columns[i].is_code)
    columns = [spec.columns[i] for i in order]
    sheet.title = spec.title[:31]
    for line in spec.heading:
        sheet.append([neutral(line)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    if spec.heading:
        sheet.append([])
    header_row = len(spec.heading) + (1 if spec.heading else 0) + 1
    widths = [len(c.title) for c in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_index, row in enumerate(spec.rows, start=header_row + 1):
        for index, column in enumerate(columns, start=1):
            raw = row[order[index - 1]]
            cell = sheet.cell(row=row_index, column=index, value=_cell_value(raw, column))
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "datetime":
                cell.number_format = DATETIME_FORMAT
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index - 1] = max(widths[index - 1], _shown_length(raw, column))
    for index, column in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = min(max(widths[index - 1] + 2, MIN_WIDTH), MAX_WIDTH)
        dimension.hidden = column.is_code
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def sheets_bytes(*specs: SheetSpec) -> bytes:
    """A workbook of these sheets, in order, as .xlsx bytes (formulas neutralised)."""
    book = Workbook()
    first = True
    for spec in specs:
        sheet = book.active if first else book.create_sheet()
        write_sheet(sheet, spec)
        first = False
    return workbook_bytes(book)
