"""What each role may do, in Vietnamese: the role matrix page and the "who can do this" hints.

Accounts declares its own actions here; a higher domain adds its actions through the
`PERMISSION_ACTIONS` hook (`Domain(hooks=((PERMISSION_ACTIONS, my_actions),))`), so the matrix
shows the whole product without accounts importing upwards. The sentences describe the checks
the operations make; they do not replace them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from giamsat.core.domain import Hook, implementations
from giamsat.identity import Role

#: Roles in the order the matrix shows them, with their Vietnamese names.
ROLE_LABELS: dict[Role, Any] = {
    Role.tenant_admin: _l("Quản trị tỉnh"),
    Role.unit_admin: _l("Quản trị đơn vị"),
    Role.leader: _l("Lãnh đạo"),
    Role.staff: _l("Cán bộ"),
    Role.readonly: _l("Chỉ xem"),
}

#: Roles that manage people: the tenant admin in the whole province, a unit admin in the
#: subtree of the unit they hold the role at.
PEOPLE_MANAGERS = frozenset({Role.tenant_admin, Role.unit_admin})


@dataclass(frozen=True)
class Action:
    """One thing the product lets some roles do."""

    key: str
    #: What it is, as the matrix row says it ("Tiếp nhận báo cáo").
    label: Any
    roles: frozenset[Role]
    #: The section of the matrix ("Người dùng", "Báo cáo"…).
    group: Any
    #: Where the roles apply, when it is not simply "in their unit and below".
    note: Any = None


#: `() -> [Action]`, implemented by domains above accounts.
PERMISSION_ACTIONS: Hook[Callable[[], Sequence[Action]]] = Hook("accounts.permission_actions")

_PEOPLE = _l("Người dùng và vai trò")
_STRUCTURE = _l("Cây đơn vị và quy định")

ACCOUNT_ACTIONS: tuple[Action, ...] = (
    Action(
        "people.manage",
        _l("Xem, tìm, thêm, sửa, khóa và mở lại tài khoản người dùng"),
        PEOPLE_MANAGERS,
        _PEOPLE,
        _l("Quản trị đơn vị: chỉ người dùng thuộc đơn vị mình và cấp dưới."),
    ),
    Action(
        "people.grant",
        _l("Giao và thu hồi vai trò"),
        PEOPLE_MANAGERS,
        _PEOPLE,
        _l(
            "Chỉ tại đơn vị mình và cấp dưới; quản trị đơn vị không giao được vai trò quản trị tỉnh."
        ),
    ),
    Action(
        "people.import",
        _l("Nhập danh sách người dùng từ tệp Excel"),
        PEOPLE_MANAGERS,
        _PEOPLE,
    ),
    Action(
        "rules.edit",
        _l("Sửa quy định của tỉnh (hòm thư, báo cáo, thời hạn, ngày nghỉ…)"),
        frozenset({Role.tenant_admin}),
        _STRUCTURE,
    ),
    Action(
        "tokens.own",
        _l("Tạo và thu hồi mã truy cập API của chính mình"),
        frozenset(Role),
        _PEOPLE,
    ),
)


def all_actions() -> list[Action]:
    """Accounts' actions, then those the installed domains add."""
    actions = list(ACCOUNT_ACTIONS)
    for provide in implementations(PERMISSION_ACTIONS):
        actions.extend(provide())
    return actions


def find_action(key: str) -> Action | None:
    return next((a for a in all_actions() if a.key == key), None)


def role_names(roles: frozenset[Role] | set[Role]) -> str:
    """ "quản trị tỉnh, quản trị đơn vị" in matrix order."""
    return ", ".join(str(label).lower() for role, label in ROLE_LABELS.items() if role in roles)


def who_can(key: str) -> str:
    """The sentence a page shows where it hides an action because of the viewer's role."""
    action = find_action(key)
    if action is None:
        return ""
    sentence = str(
        _l(
            "Việc “%(action)s” do người có vai trò %(roles)s làm.",
            action=action.label,
            roles=role_names(action.roles),
        )
    )
    return f"{sentence} {action.note}" if action.note else sentence
