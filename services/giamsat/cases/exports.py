"""The case queue as an Excel workbook (openpyxl); the reporter column is always masked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from giamsat.cases.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS
from giamsat.cases.models import Case
from giamsat.cases.protection import masked_reporter
from giamsat.core.spreadsheets import workbook_bytes

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: An export is a working list, not a backup: beyond this, narrow the filters.
MAX_ROWS = 5000


def _columns() -> list[tuple[str, int]]:
    return [
        (_("Số hồ sơ"), 10),
        (_("Đơn vị"), 24),
        (_("Ngày tiếp nhận"), 14),
        (_("Kênh tiếp nhận"), 20),
        (_("Loại thông tin"), 18),
        (_("Tiêu đề"), 40),
        (_("Người, tổ chức bị phản ánh"), 30),
        (_("Phân loại"), 20),
        (_("Người gửi"), 22),
        (_("Trạng thái"), 22),
        (_("Hạn trả lời"), 14),
        (_("Số ngày làm việc quá hạn"), 12),
    ]


def queue_workbook(
    cases: Iterable[Case], *, today: dt.date, late: Callable[[Case, dt.date], int]
) -> bytes:
    """One sheet, one row per case, dates as real dates. Never the reporter's identity."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hồ sơ tiếp nhận")
    columns = _columns()
    sheet.append([title for title, _width in columns])
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for case in cases:
        sheet.append(
            [
                v
                for v in (
                    case.number,
                    case.unit.name,
                    case.received_on,
                    str(CHANNEL_LABELS.get(case.channel, case.channel)),
                    str(KIND_LABELS.get(case.kind, case.kind)),
                    case.title,
                    case.concerned or "",
                    ", ".join(t.code for t in case.tags),
                    masked_reporter(case),
                    str(STATUS_LABELS.get(case.status, case.status)),
                    case.due_on,
                    late(case, today) or None,
                )
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    return workbook_bytes(book)
