"""The tenant rules of accounts: which roles must sign in with a second factor."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from giamsat.core.rules import RuleSpec
from giamsat.identity import Role

SECOND_FACTOR_RULE = "second_factor_roles"
#: Tenant admins (they manage every account) and leaders, who may reveal a reporter's
#: identity (`cases.protection.REVEAL_ROLES`; a test holds the two together).
DEFAULT_SECOND_FACTOR_ROLES = ["tenant_admin", "leader"]
ROLES_PROBLEM = "must be a list of distinct roles among: " + ", ".join(r.value for r in Role)

ROLE_CHOICES = {
    Role.tenant_admin.value: _l("Quản trị tỉnh"),
    Role.unit_admin.value: _l("Quản trị đơn vị"),
    Role.staff.value: _l("Cán bộ"),
    Role.leader.value: _l("Lãnh đạo"),
    Role.readonly.value: _l("Chỉ xem"),
}


def role_list(value: Any) -> str | None:
    if not isinstance(value, list) or len(set(map(str, value))) != len(value):
        return ROLES_PROBLEM
    if any(item not in ROLE_CHOICES for item in value):
        return ROLES_PROBLEM
    return None


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        SECOND_FACTOR_RULE,
        role_list,
        DEFAULT_SECOND_FACTOR_ROLES,
        "[UNCONFIRMED] giá trị thiết kế: vai trò quản trị toàn tỉnh và vai trò được xem danh "
        "tính người phản ánh phải đăng nhập hai lớp",
        label=_l("Vai trò phải đăng nhập hai lớp (mã trên điện thoại)"),
        help=_l(
            "Người có một trong các vai trò này phải nhập thêm mã từ ứng dụng xác thực khi "
            "đăng nhập. Nên giữ Quản trị tỉnh và Lãnh đạo (được xem danh tính người phản ánh)."
        ),
        choices=ROLE_CHOICES,
        group="security",
    ),
)
