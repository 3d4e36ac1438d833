"""The tenant rules of the unit tree: the province's own days off, which every working-day
calculation of the tenant counts (`units.queries.work_calendar`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l

from giamsat.core.rules import RuleSpec
from giamsat.units.area_managers import RULE as AREA_MANAGERS_RULE

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DAYS_OFF_PROBLEM = 'must be a list of days written as text "YYYY-MM-DD", e.g. ["2026-12-01"]'


def day_list(value: Any) -> str | None:
    """A list of distinct days as ISO text (TOML dates are refused: the value is stored as JSON)."""
    if not isinstance(value, list):
        return DAYS_OFF_PROBLEM
    for item in value:
        if not isinstance(item, str) or not _ISO_DAY.match(item):
            return DAYS_OFF_PROBLEM
        try:
            dt.date.fromisoformat(item)
        except ValueError:
            return f"has {item!r}, which is not a day of the calendar"
    if len(set(value)) != len(value):
        return "lists a day twice"
    return None


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "days_off",
        day_list,
        [],
        "[UNCONFIRMED] ngày nghỉ riêng của tỉnh (ngoài ngày nghỉ lễ toàn quốc): tỉnh tự khai báo",
        label=_l("Ngày nghỉ riêng của tỉnh"),
        help=_l(
            "Mỗi dòng một ngày, dạng ngày/tháng/năm (ví dụ 01/12/2026). Các ngày này không tính "
            "là ngày làm việc trong mọi thời hạn của tỉnh, cùng với ngày lễ, Tết toàn quốc."
        ),
        group="calendar",
    ),
    AREA_MANAGERS_RULE,
)
