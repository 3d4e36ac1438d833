"""The case queue as an Excel workbook (openpyxl); the reporter column is always masked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from flask_babel import gettext as _

from giamsat.cases.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS
from giamsat.cases.models import Case
from giamsat.cases.protection import masked_reporter
from giamsat.core.spreadsheets import Column, SheetSpec, sheets_bytes
from giamsat.core.vietnamese import normalise_spaces

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: An export is a working list, not a backup: beyond this, narrow the filters.
MAX_ROWS = 5000


def _columns() -> list[Column]:
    return [
        Column(_("Số hồ sơ")),
        Column(_("Đơn vị")),
        Column(_("Ngày tiếp nhận"), "date"),
        Column(_("Kênh tiếp nhận")),
        Column(_("Loại thông tin")),
        Column(_("Tiêu đề"), wrap=True),
        Column(_("Người, tổ chức bị phản ánh"), wrap=True),
        Column(_("Phân loại"), wrap=True),
        Column(_("Người gửi")),
        Column(_("Trạng thái")),
        Column(_("Hạn trả lời"), "date"),
        Column(_("Số ngày làm việc quá hạn"), "number"),
        # For a program re-reading the file: the codes, last and hidden.
        Column(_("Mã phân loại"), is_code=True),
        Column(_("Mã loại thông tin"), is_code=True),
        Column(_("Mã trạng thái"), is_code=True),
    ]


def queue_workbook(
    cases: Iterable[Case], *, today: dt.date, late: Callable[[Case, dt.date], int]
) -> bytes:
    """One sheet, one row per case: names in words, dates as real dates, codes hidden at the
    end. Never the reporter's identity."""
    rows = [
        (
            case.number,
            normalise_spaces(case.unit.name),
            case.received_on,
            str(CHANNEL_LABELS.get(case.channel, case.channel)),
            str(KIND_LABELS.get(case.kind, case.kind)),
            case.title,
            case.concerned or "",
            "; ".join(t.label for t in case.tags),
            masked_reporter(case),
            str(STATUS_LABELS.get(case.status, case.status)),
            case.due_on,
            late(case, today) or None,
            ", ".join(t.code for t in case.tags),
            case.kind.value,
            case.status.value,
        )
        for case in cases
    ]
    return sheets_bytes(SheetSpec(_("Hồ sơ tiếp nhận"), _columns(), rows))
