"""Whose account an admin may manage, and at which units they may grant which roles.

A unit admin manages the people whose every role lies inside the subtree(s) they administer:
someone who also holds a role elsewhere is not theirs to disable. Everybody else's account
answers 404, like a missing one. The tenant admin manages everybody."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select, true

from giamsat.accounts.models import RoleAssignment, User
from giamsat.accounts.permissions import PEOPLE_MANAGERS, who_can
from giamsat.core.errors import Forbidden
from giamsat.identity import Principal, Role
from giamsat.units.models import Unit


def manager_roots(principal: Principal) -> tuple[str, ...]:
    """Tops of the subtrees where `principal` manages people (nested ones dropped)."""
    paths = sorted({g.unit_path for g in principal.grants if g.role in PEOPLE_MANAGERS})
    return tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def is_people_manager(principal: Principal) -> bool:
    return bool(manager_roots(principal))


def require_people_manager(principal: Principal) -> None:
    """Staff, leaders and readers get 403 with who can, for every people URL."""
    if not is_people_manager(principal):
        raise Forbidden(who_can("people.manage"))


def manages_path(principal: Principal, path: str) -> bool:
    return any(path.startswith(root) for root in manager_roots(principal))


def manages_user(principal: Principal, user: User) -> bool:
    """In Python, what `manageable_users_clause` says in SQL (a unit admin never manages a
    tenant admin, whose grant is at the province)."""
    if principal.is_tenant_admin:
        return True
    if not user.roles or any(grant.role == Role.tenant_admin for grant in user.roles):
        return False
    return all(manages_path(principal, grant.unit.path) for grant in user.roles)


def manageable_users_clause(principal: Principal) -> ColumnElement[bool]:
    """SQL: the users `principal` may manage."""
    if principal.is_tenant_admin:
        return true()
    roots = manager_roots(principal)
    if not roots:
        return false()
    inside = or_(*(Unit.path.startswith(root) for root in roots))
    any_grant = exists().where(RoleAssignment.user_id == User.id)
    outside = exists(
        select(RoleAssignment.id)
        .join(Unit, Unit.id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == User.id, not_(inside))
    )
    return and_(any_grant, not_(outside))


def grant_problem(principal: Principal, unit: Unit, role: Role) -> str | None:
    """Why `principal` may not grant `role` at `unit`, or None. Never above their own unit."""
    if not manages_path(principal, unit.path):
        return "Bạn chỉ giao được vai trò tại đơn vị mình quản trị và các đơn vị cấp dưới."
    if role == Role.tenant_admin:
        if not principal.is_tenant_admin:
            return "Chỉ quản trị tỉnh giao được vai trò quản trị tỉnh."
        if unit.parent_id is not None:
            return "Vai trò quản trị tỉnh chỉ giao tại cấp tỉnh."
    return None
