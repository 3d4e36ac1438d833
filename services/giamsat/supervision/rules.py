"""The supervision register's tenant rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.core.rules import RuleSpec, positive_int
from giamsat.core.sources import QD124_ART8

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "recommendation_response_days",
        positive_int,
        20,
        QD124_ART8 + ": kiến nghị của MTTQ được trả lời trong 20 ngày làm việc (áp dụng "
        "như response_days)",
        label=_l("Số ngày làm việc để trả lời kiến nghị của Mặt trận"),
        help=_l("Hạn trả lời kiến nghị sau giám sát, tính theo ngày làm việc."),
        group="responses",
    ),
)
