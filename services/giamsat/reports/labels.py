"""The words for the reports' categories, defined once and marked for translation.

Pages show them in the page language. Files (DOCX, XLSX) and the audit log are official
Vietnamese whatever the page language: they take `vietnamese(label)`.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from giamsat.reports.models import ExportStatus, PeriodKind, ReportStatus

PERIOD_KIND_LABELS = {
    PeriodKind.quarterly: _l("Báo cáo quý"),
    PeriodKind.six_monthly: _l("Báo cáo 6 tháng"),
    PeriodKind.yearly: _l("Báo cáo năm"),
    PeriodKind.ad_hoc: _l("Báo cáo đột xuất"),
}
#: Report statuses, plus "missing" for a unit that has not opened its report at all.
STATUS_LABELS = {
    ReportStatus.draft.value: _l("Đang soạn, chưa gửi"),
    ReportStatus.submitted.value: _l("Đã gửi, chờ tiếp nhận"),
    ReportStatus.returned.value: _l("Bị trả lại, cần sửa"),
    ReportStatus.accepted.value: _l("Đã tiếp nhận"),
    "missing": _l("Chưa lập báo cáo"),
}
EXPORT_STATUS_LABELS = {
    ExportStatus.queued: _l("Đang chờ đến lượt"),
    ExportStatus.running: _l("Đang tạo tệp"),
    ExportStatus.done: _l("Đã xong"),
    ExportStatus.failed: _l("Không tạo được tệp"),
}
#: Groups of the indicator catalogue (`Indicator.group_code`).
GROUP_LABELS = {
    "activities": _l("I. Hoạt động giám sát"),
    "intake": _l("II. Tiếp nhận thông tin"),
    "handling": _l("III. Xử lý thông tin"),
    "outcomes": _l("IV. Kết quả"),
}
#: Narrative sections of a report in document order (DOMAIN.md §7.3, item 5): (column on
#: `Report`, label, the help shown under its box).
NARRATIVE = (
    (
        "situation",
        _l("Đặc điểm tình hình"),
        _l("Tóm tắt tình hình ở địa phương trong kỳ có liên quan đến công tác giám sát."),
    ),
    (
        "results",
        _l("Kết quả thực hiện"),
        _l("Những việc đã làm và kết quả chính. Phải có phần này thì mới gửi được báo cáo."),
    ),
    (
        "limitations",
        _l("Hạn chế và nguyên nhân"),
        _l("Những việc chưa làm được hoặc làm chưa tốt, và vì sao."),
    ),
    ("directions", _l("Phương hướng, nhiệm vụ"), _l("Những việc sẽ làm trong kỳ tới.")),
    (
        "proposals",
        _l("Kiến nghị, đề xuất"),
        _l("Điều cần cấp trên hoặc cơ quan khác giúp đỡ, giải quyết."),
    ),
)
NARRATIVE_FIELDS = tuple(name for name, _label, _help in NARRATIVE)
#: Steps of a report's history (`ReportEvent.action`).
EVENT_LABELS = {
    "create": _l("lập dự thảo"),
    "edit": _l("sửa báo cáo"),
    "refresh": _l("cập nhật số liệu từ hồ sơ"),
    "submit": _l("gửi báo cáo"),
    "return": _l("trả lại báo cáo"),
    "accept": _l("tiếp nhận báo cáo"),
    "withdraw": _l("rút lại báo cáo"),
}
#: The dashboard chart's bar segments (css class → label), in the order they are drawn.
SEGMENT_LABELS = {
    "seg-on-time": _l("Nộp đúng hạn"),
    "seg-late": _l("Nộp muộn"),
    "seg-pending": _l("Chưa đến hạn"),
    "seg-missing": _l("Quá hạn chưa nộp"),
}
#: A unit's own report in a period, as the province's unit list and its filter say it
#: (`queries.unit_status.STATES`).
STATE_LABELS = {
    "missing": _l("Quá hạn chưa nộp"),
    "returned": _l("Bị trả lại"),
    "late": _l("Nộp muộn"),
    "pending": _l("Chưa đến hạn"),
    "submitted": _l("Nộp đúng hạn"),
}


def vietnamese(label) -> str:
    """A label's Vietnamese words (the source text), whatever the page language."""
    with force_locale("vi"):
        return str(label)
