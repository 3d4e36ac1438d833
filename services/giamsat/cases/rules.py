"""The case register's tenant rules: answer deadlines, reminders, limits of the public form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.core.rules import RuleSpec, not_shorter_than, positive_int
from giamsat.core.sources import QD124_ART8

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "response_days",
        positive_int,
        20,
        QD124_ART8 + ": 20 ngày làm việc",
        label=_l("Số ngày làm việc để trả lời kiến nghị"),
        help=_l(
            "Dùng cho kiến nghị khi chưa đặt quy định riêng cho kiến nghị. Hồ sơ chuyển đi tính "
            "hạn theo bảng thời hạn trả lời."
        ),
        group="responses",
    ),
    RuleSpec(
        "response_days_complex",
        positive_int,
        30,
        QD124_ART8 + ": vụ việc phức tạp tối đa 30 ngày làm việc",
        check_with=not_shorter_than("response_days"),
        label=_l("Số ngày làm việc để trả lời vụ việc phức tạp"),
        help=_l("Không được ít hơn số ngày trả lời thông thường."),
        group="responses",
    ),
    RuleSpec(
        "reminder_days_before_due",
        positive_int,
        3,
        "[UNCONFIRMED] giá trị thiết kế: nhắc trước hạn trả lời bao nhiêu ngày làm việc",
        label=_l("Nhắc trước hạn trả lời (ngày làm việc)"),
        help=_l("Người dùng của đơn vị được nhắc trước hạn trả lời bấy nhiêu ngày làm việc."),
        group="responses",
    ),
    RuleSpec(
        "public_submissions_per_address_per_hour",
        positive_int,
        5,
        "[UNCONFIRMED] giá trị thiết kế chống gửi tràn qua biểu mẫu công khai",
        label=_l("Số lần gửi qua biểu mẫu công khai từ một địa chỉ mạng trong một giờ"),
        help=_l("Chống gửi tràn: quá số này, địa chỉ đó phải chờ."),
        group="limits",
    ),
    RuleSpec(
        "public_submissions_per_unit_per_hour",
        positive_int,
        50,
        "[UNCONFIRMED] giá trị thiết kế chống gửi tràn qua biểu mẫu công khai",
        label=_l("Số lần gửi qua biểu mẫu công khai cho một đơn vị trong một giờ"),
        help=_l("Quá số này, biểu mẫu tạm không nhận thêm cho đơn vị đó."),
        group="limits",
    ),
    RuleSpec(
        "receipt_lookups_per_address_per_10_minutes",
        positive_int,
        10,
        "[UNCONFIRMED] giá trị thiết kế chống dò mã tiếp nhận",
        label=_l("Số lần tra mã tiếp nhận từ một địa chỉ mạng trong 10 phút"),
        help=_l("Tính cả lần đúng và lần sai, để không ai dò được mã của người khác."),
        group="limits",
    ),
)
