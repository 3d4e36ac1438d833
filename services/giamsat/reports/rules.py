"""The report calendar's tenant rules: when each period's report is due and its figures cut off."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.core.rules import (
    RuleSpec,
    any_day,
    boolean,
    day_of_month,
    day_of_year,
    month,
    month_of_quarter,
    table,
)
from giamsat.core.sources import PROVINCE_PROGRAM

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "report_deadline_quarterly",
        table({"month_of_quarter": month_of_quarter, "before_day": day_of_month}),
        {"month_of_quarter": 3, "before_day": 20},
        f"{PROVINCE_PROGRAM} (trước ngày 20 tháng cuối quý)",
        label=_l("Hạn nộp báo cáo quý"),
        help=_l("Báo cáo quý nộp trước ngày này của tháng thứ mấy trong quý."),
        group="reports",
    ),
    RuleSpec(
        "report_deadline_six_monthly",
        table({"month": month, "before_day": any_day}, day_of_year("month", "before_day")),
        {"month": 6, "before_day": 20},
        f"{PROVINCE_PROGRAM} (trước 20/6)",
        label=_l("Hạn nộp báo cáo 6 tháng"),
        help=_l("Báo cáo 6 tháng nộp trước ngày, tháng này."),
        group="reports",
    ),
    RuleSpec(
        "report_deadline_yearly",
        table({"month": month, "before_day": any_day}, day_of_year("month", "before_day")),
        {"month": 12, "before_day": 15},
        f"{PROVINCE_PROGRAM} (trước 15/12)",
        label=_l("Hạn nộp báo cáo năm"),
        help=_l("Báo cáo năm nộp trước ngày, tháng này."),
        group="reports",
    ),
    RuleSpec(
        "report_cutoff_quarterly",
        table({"month_of_quarter": month_of_quarter, "day": day_of_month}),
        {"month_of_quarter": 3, "day": 15},
        "[UNCONFIRMED] DOMAIN.md §7.1: số liệu quý tính đến hết ngày trước ngày 15 tháng "
        "cuối quý, để kịp hạn báo cáo",
        label=_l("Ngày chốt số liệu quý"),
        help=_l("Số liệu tính đến hết ngày trước ngày này; kỳ sau bắt đầu từ ngày này."),
        group="reports",
    ),
    RuleSpec(
        "report_cutoff_six_monthly",
        table({"month": month, "day": any_day}, day_of_year("month", "day")),
        {"month": 6, "day": 15},
        "[UNCONFIRMED] DOMAIN.md §7.1: số liệu 6 tháng tính đến hết 14/6",
        label=_l("Ngày chốt số liệu 6 tháng"),
        help=_l("Số liệu 6 tháng tính đến hết ngày trước ngày này."),
        group="reports",
    ),
    RuleSpec(
        "report_cutoff_yearly",
        table({"month": month, "day": any_day}, day_of_year("month", "day")),
        {"month": 12, "day": 15},
        "[UNCONFIRMED] DOMAIN.md §7.1: số liệu năm tính từ 15/12 năm trước đến hết 14/12, "
        "để báo cáo năm nộp trước 15/12",
        label=_l("Ngày chốt số liệu năm"),
        help=_l("Năm số liệu chạy từ ngày này năm trước đến hết ngày trước ngày này."),
        group="reports",
    ),
    RuleSpec(
        "report_ad_hoc",
        boolean,
        True,
        f"{PROVINCE_PROGRAM} (báo cáo đột xuất theo yêu cầu)",
        label=_l("Có báo cáo đột xuất theo yêu cầu"),
        help=_l("Hạn của báo cáo đột xuất ghi theo từng yêu cầu."),
        group="reports",
    ),
)
