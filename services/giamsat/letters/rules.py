"""The suggestion boxes' tenant rules: how often they are opened, by whom, with what record."""

from __future__ import annotations

from giamsat.core.rules import RuleSpec, boolean, day_of_month, non_negative_int, one_of, short_text

NO_NATIONAL_RULE = (
    "[UNCONFIRMED] chưa tìm thấy quy định chung về hòm thư góp ý ở khu dân cư; "
    "giá trị mặc định, cần đối chiếu nội quy của tỉnh"
)

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "box_opening_frequency",
        one_of("weekly", "twice_monthly", "monthly", "quarterly"),
        "monthly",
        NO_NATIONAL_RULE + " (xã Hoàng Trĩ, Bắc Kạn 2020: tổng hợp hằng tháng)",
    ),
    RuleSpec(
        "box_opening_day",
        day_of_month,
        10,
        NO_NATIONAL_RULE + " (xã Hoàng Trĩ, Bắc Kạn 2020: ngày 10 hằng tháng)",
    ),
    RuleSpec("box_min_witnesses", non_negative_int, 2, NO_NATIONAL_RULE),
    RuleSpec(
        "box_minutes_required",
        boolean,
        True,
        NO_NATIONAL_RULE + " (nên lập biên bản mỗi lần mở hòm thư)",
    ),
    RuleSpec(
        "box_key_holder",
        short_text,
        "Trưởng ban Công tác Mặt trận khu dân cư",
        "[PARTIAL] xã Hoàng Trĩ, Bắc Kạn 2020: Trưởng ban CTMT quản lý hòm thư; "
        "chưa có quy định chung",
    ),
)
