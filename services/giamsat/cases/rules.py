"""The case register's tenant rules: answer deadlines, reminders, limits of the public form."""

from __future__ import annotations

from giamsat.core.rules import RuleSpec, not_shorter_than, positive_int
from giamsat.core.sources import QD124_ART8

RULES: tuple[RuleSpec, ...] = (
    RuleSpec("response_days", positive_int, 20, QD124_ART8 + ": 20 ngày làm việc"),
    RuleSpec(
        "response_days_complex",
        positive_int,
        30,
        QD124_ART8 + ": vụ việc phức tạp tối đa 30 ngày làm việc",
        check_with=not_shorter_than("response_days"),
    ),
    RuleSpec(
        "reminder_days_before_due",
        positive_int,
        3,
        "[UNCONFIRMED] giá trị thiết kế: nhắc trước hạn trả lời bao nhiêu ngày làm việc",
    ),
    RuleSpec(
        "public_submissions_per_address_per_hour",
        positive_int,
        5,
        "[UNCONFIRMED] giá trị thiết kế chống gửi tràn qua biểu mẫu công khai",
    ),
    RuleSpec(
        "public_submissions_per_unit_per_hour",
        positive_int,
        50,
        "[UNCONFIRMED] giá trị thiết kế chống gửi tràn qua biểu mẫu công khai",
    ),
    RuleSpec(
        "receipt_lookups_per_address_per_10_minutes",
        positive_int,
        10,
        "[UNCONFIRMED] giá trị thiết kế chống dò mã tiếp nhận",
    ),
)
