"""The cases actions on the role matrix (`accounts.permissions.PERMISSION_ACTIONS`) and the
"who can" hints of the case pages. The role sets are those the operations check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import Action
from giamsat.cases.protection import REVEAL_ROLES
from giamsat.cases.workflow import CASE_HANDLERS
from giamsat.identity import Role

_GROUP = _l("Tiếp nhận, xử lý thông tin")


def case_actions() -> list[Action]:
    return [
        Action(
            "cases.handle",
            _l(
                "Tiếp nhận thông tin, sửa, chuyển, ghi nhận trả lời, kết thúc hồ sơ và đính kèm tệp"
            ),
            CASE_HANDLERS,
            _GROUP,
        ),
        Action(
            "cases.reveal",
            _l("Xem danh tính thật của người gửi"),
            REVEAL_ROLES,
            _GROUP,
            _l("Phải ghi lý do; mỗi lần xem được ghi vào lịch sử hồ sơ."),
        ),
        Action(
            "cases.catalogue",
            _l("Sửa danh mục phân loại và thời hạn trả lời"),
            frozenset({Role.tenant_admin}),
            _GROUP,
        ),
    ]
