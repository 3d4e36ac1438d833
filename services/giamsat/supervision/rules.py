"""The supervision register's tenant rules."""

from __future__ import annotations

from giamsat.core.rules import RuleSpec, positive_int
from giamsat.core.sources import QD124_ART8

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "recommendation_response_days",
        positive_int,
        20,
        QD124_ART8 + ": kiến nghị của MTTQ được trả lời trong 20 ngày làm việc (áp dụng "
        "như response_days)",
    ),
)
