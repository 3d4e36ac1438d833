"""Vietnamese labels of the yearly review's states, once, lazily translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Đang soạn, chưa gửi"),
    "submitted": _l("Đã gửi cấp trên"),
    "missing": _l("Chưa lập"),
}
