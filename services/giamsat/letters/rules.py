"""The suggestion boxes' tenant rules: how often they are opened, by whom, with what record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.core.rules import RuleSpec, boolean, day_of_month, non_negative_int, one_of, short_text
from giamsat.letters.labels import FREQUENCY_LABELS

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
        label=_l("Số lần mở hòm thư góp ý"),
        help=_l("Hòm thư ở khu dân cư được mở định kỳ theo nhịp này."),
        choices=FREQUENCY_LABELS,
        group="boxes",
    ),
    RuleSpec(
        "box_opening_day",
        day_of_month,
        10,
        NO_NATIONAL_RULE + " (xã Hoàng Trĩ, Bắc Kạn 2020: ngày 10 hằng tháng)",
        label=_l("Ngày mở hòm thư trong tháng"),
        help=_l("Từ 1 đến 28, để ngày đó có trong mọi tháng."),
        group="boxes",
    ),
    RuleSpec(
        "box_min_witnesses",
        non_negative_int,
        2,
        NO_NATIONAL_RULE,
        label=_l("Số người chứng kiến tối thiểu khi mở hòm thư"),
        help=_l("Biên bản mở hòm thư phải ghi đủ số người chứng kiến này."),
        group="boxes",
    ),
    RuleSpec(
        "box_minutes_required",
        boolean,
        True,
        NO_NATIONAL_RULE + " (nên lập biên bản mỗi lần mở hòm thư)",
        label=_l("Bắt buộc lập biên bản mỗi lần mở hòm thư"),
        help=_l("Khi bắt buộc, lần mở hòm thư chưa có biên bản thì chưa hoàn tất."),
        group="boxes",
    ),
    RuleSpec(
        "box_key_holder",
        short_text,
        "Trưởng ban Công tác Mặt trận khu dân cư",
        "[PARTIAL] xã Hoàng Trĩ, Bắc Kạn 2020: Trưởng ban CTMT quản lý hòm thư; "
        "chưa có quy định chung",
        label=_l("Người giữ hòm thư và chìa khóa"),
        help=_l("Ghi chức danh, ví dụ: Trưởng ban Công tác Mặt trận khu dân cư."),
        group="boxes",
    ),
)
