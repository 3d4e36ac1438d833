"""The sentence each kind of notification shows, in the app and in email.

The msgids are Vietnamese (marked with N_ so pybabel extracts them into this package's catalog,
which the web shell also loads); values go in by name. Only titles, numbers and dates: never a
case's content, never anything about the reporter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def N_(text: str) -> str:  # the marker pybabel looks for
    return text


#: kind → sentence. A title is always the object's own short title.
KIND_TEXTS: dict[str, str] = {
    "case_escalated_in": N_("Cấp dưới chuyển lên hồ sơ %(number)s: “%(title)s”."),
    "case_assigned_in": N_("Cấp trên giao hồ sơ %(number)s: “%(title)s”."),
    "case_forwarded": N_(
        "Hồ sơ %(number)s “%(title)s” đã chuyển cơ quan có thẩm quyền; hạn trả lời %(due_on)s."
    ),
    "case_due_soon": N_(
        "Hồ sơ %(number)s “%(title)s” còn %(days)s ngày làm việc đến hạn trả lời (%(due_on)s)."
    ),
    "case_overdue": N_("Hồ sơ %(number)s “%(title)s” đã quá hạn trả lời (hạn %(due_on)s)."),
    "recommendation_due_soon": N_(
        "Kiến nghị gửi %(title)s còn %(days)s ngày làm việc đến hạn trả lời (%(due_on)s)."
    ),
    "recommendation_overdue": N_("Kiến nghị gửi %(title)s đã quá hạn trả lời (hạn %(due_on)s)."),
    "report_due_soon": N_("Báo cáo “%(title)s” phải nộp trong %(days)s ngày nữa (hạn %(due_on)s)."),
    "report_overdue": N_("Báo cáo “%(title)s” đã quá hạn nộp (hạn %(due_on)s)."),
    "report_returned": N_("Cấp trên trả lại báo cáo “%(title)s”: cần sửa và gửi lại."),
    "report_accepted": N_("Cấp trên đã tiếp nhận báo cáo “%(title)s”."),
    "report_requested": N_("Cấp trên yêu cầu báo cáo đột xuất “%(title)s”, hạn nộp %(due_on)s."),
    "box_opening_overdue": N_("Hòm thư góp ý %(title)s đã quá hạn mở (hạn %(due_on)s)."),
    "letter_ocr_done": N_(
        "Đã nhận dạng xong chữ trong thư của hồ sơ %(number)s “%(title)s”: mời xem và xử lý."
    ),
    "letter_ocr_failed": N_(
        "Không nhận dạng được chữ trong thư của hồ sơ %(number)s “%(title)s”: hãy xem lại bản quét."
    ),
    "report_export_done": N_("Tệp tổng hợp báo cáo “%(title)s” đã sẵn sàng: mời tải về."),
    "report_export_failed": N_(
        "Chưa tạo được tệp tổng hợp báo cáo “%(title)s”: hệ thống sẽ tự thử lại sau ít phút."
    ),
}

#: Shown for a kind this version does not know (a row written by a newer release).
FALLBACK = N_("Có thông báo mới: “%(title)s”.")

SUBJECT = N_("[Giám sát MTTQ] %(headline)s")
DIGEST_SUBJECT = N_("[Giám sát MTTQ] %(count)s thông báo ngày %(day)s")


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def headline(
    kind: str, title: str, params: dict[str, Any] | None, gettext: Callable[[str], str]
) -> str:
    """The notification as one sentence in the language `gettext` translates to."""
    values = {key: (_date(v) if key.endswith("_on") else v) for key, v in (params or {}).items()}
    values["title"] = title
    template = KIND_TEXTS.get(kind, FALLBACK)
    try:
        return gettext(template) % values
    except (KeyError, ValueError, TypeError):  # a parameter missing from an old row
        return gettext(FALLBACK) % {"title": title}
