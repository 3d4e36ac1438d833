"""The reports actions on the role matrix (`accounts.permissions.PERMISSION_ACTIONS`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import Action
from giamsat.reports.operations.common import AUTHORS, REVIEWERS

_GROUP = _l("Báo cáo định kỳ")


def report_actions() -> list[Action]:
    return [
        Action(
            "reports.write",
            _l("Lập, sửa và gửi báo cáo của đơn vị"),
            AUTHORS,
            _GROUP,
        ),
        Action(
            "reports.review",
            _l("Tiếp nhận hoặc trả lại báo cáo đơn vị cấp dưới gửi lên"),
            REVIEWERS,
            _GROUP,
            _l("Tại đơn vị nhận báo cáo (cấp trên của đơn vị gửi) hoặc cấp trên nữa."),
        ),
    ]
