"""Reads of people: the list an admin may manage, searched and filtered, and one person."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from giamsat.accounts.models import RoleAssignment, User
from giamsat.accounts.people.scope import manageable_users_clause, require_people_manager
from giamsat.core.errors import NotFound
from giamsat.identity import Principal
from giamsat.units.models import Unit


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_query(
    principal: Principal,
    *,
    search: str | None = None,
    unit_id: int | None = None,
    active: bool | None = None,
) -> Select:
    """The users `principal` manages, by name; `search` matches name, login, email or phone;
    `unit_id` keeps those holding a role at that unit or below it."""
    require_people_manager(principal)
    stmt = select(User).where(manageable_users_clause(principal))
    search = " ".join((search or "").split())
    if search:
        pattern = _like(search)
        stmt = stmt.where(
            or_(
                User.full_name.ilike(pattern, escape="\\"),
                User.username.ilike(pattern, escape="\\"),
                User.email.ilike(pattern, escape="\\"),
                User.phone.ilike(pattern, escape="\\"),
            )
        )
    if unit_id is not None:
        unit_path = select(Unit.path).where(Unit.id == unit_id).scalar_subquery()
        stmt = stmt.where(
            exists(
                select(RoleAssignment.id)
                .join(Unit, Unit.id == RoleAssignment.unit_id)
                .where(RoleAssignment.user_id == User.id, Unit.path.startswith(unit_path))
            )
        )
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    return stmt.order_by(User.full_name, User.id)


def get_person(session: Session, principal: Principal, user_id: int) -> User:
    """A user `principal` manages; anyone else — outside the subtree or missing — is a 404."""
    require_people_manager(principal)
    user = session.scalar(
        select(User).where(User.id == user_id, manageable_users_clause(principal))
    )
    if user is None:
        raise NotFound("Không tìm thấy người dùng.")
    return user


def manageable_units(session: Session, principal: Principal) -> list[Unit]:
    """Current units where `principal` may grant roles, in tree order."""
    from giamsat.accounts.people.scope import manager_roots

    roots = manager_roots(principal)
    if not roots:
        return []
    stmt = select(Unit).where(
        or_(*(Unit.path.startswith(root) for root in roots)), Unit.valid_to.is_(None)
    )
    return list(session.scalars(stmt.order_by(Unit.path)))
