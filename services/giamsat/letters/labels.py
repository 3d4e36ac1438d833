"""The Vietnamese labels of the letters domain's enums and rule values, defined once.

Lazy (`_l`): each page shows them in its own language; use `str(label)` where a plain string
is needed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.letters.models import BoxStatus, OcrStatus, SealCondition

BOX_STATUS_LABELS = {
    BoxStatus.active: _l("Đang sử dụng"),
    BoxStatus.damaged: _l("Hư hỏng"),
    BoxStatus.removed: _l("Đã thu hồi"),
}
SEAL_LABELS = {
    SealCondition.intact: _l("Niêm phong còn nguyên"),
    SealCondition.broken: _l("Niêm phong bị rách hoặc đã bị mở"),
    SealCondition.none: _l("Hòm thư không niêm phong"),
}
#: The seal as the minutes' sentence says it. Plain text: the minutes are an administrative
#: record, always written in Vietnamese whatever the page's language.
SEAL_MINUTES_TEXT = {
    SealCondition.intact: "niêm phong còn nguyên vẹn",
    SealCondition.broken: "niêm phong bị rách hoặc đã bị mở",
    SealCondition.none: "hòm thư không có niêm phong",
}
OCR_STATUS_LABELS = {
    OcrStatus.queued: _l("Đang chờ nhận dạng chữ"),
    OcrStatus.done: _l("Đã nhận dạng chữ"),
    OcrStatus.failed: _l("Nhận dạng chữ bị lỗi"),
    OcrStatus.unavailable: _l("Máy chủ chưa có phần mềm nhận dạng chữ"),
}
#: Values of the tenant rule `box_opening_frequency`, as people say them.
FREQUENCY_LABELS = {
    "weekly": _l("mỗi tuần một lần"),
    "twice_monthly": _l("mỗi tháng hai lần"),
    "monthly": _l("mỗi tháng một lần"),
    "quarterly": _l("mỗi quý một lần"),
}
