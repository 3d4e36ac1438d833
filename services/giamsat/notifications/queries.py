"""Reading notifications and preferences: always for one user (a user sees only their own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from giamsat.accounts.models import RoleAssignment, User
from giamsat.core.errors import NotFound
from giamsat.identity import Role
from giamsat.notifications.models import EmailMode, Notification, NotificationPreference
from giamsat.units.models import Unit

#: Roles whose holders at a unit hear about its events (readonly: in the app only, no email).
RECIPIENT_ROLES = frozenset(
    {Role.tenant_admin, Role.unit_admin, Role.staff, Role.leader, Role.readonly}
)
EMAIL_ROLES = RECIPIENT_ROLES - {Role.readonly}


def notifications_query(
    user_id: int, *, unread_only: bool = False, after: tuple[dt.datetime, int] | None = None
) -> Select:
    """The user's notifications, newest first; `after` (a keyset cursor: created_at, id of the
    last row seen) starts after that row."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    if after is not None:
        stmt = stmt.where(tuple_(Notification.created_at, Notification.id) < after)
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def list_notifications(
    session: Session, user_id: int, *, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> list[Notification]:
    return list(
        session.scalars(
            notifications_query(user_id, unread_only=unread_only).limit(limit).offset(offset)
        )
    )


def unread_count(session: Session, user_id: int) -> int:
    """One indexed COUNT (partial index on unread rows): cheap enough for every page."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def get_notification(session: Session, user_id: int, notification_id: int) -> Notification:
    """The user's own notification; anybody else's answers NotFound, like a missing one."""
    found = session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )
    if found is None:
        raise NotFound("Không tìm thấy thông báo.")
    return found


def get_preference(session: Session, user_id: int) -> NotificationPreference:
    """The saved preference, or the default (immediate, account address) — not added."""
    found = session.get(NotificationPreference, user_id)
    if found is None:
        found = NotificationPreference(
            user_id=user_id, email_mode=EmailMode.immediate, email_address=None
        )
    return found


@dataclass(frozen=True)
class Recipient:
    user_id: int
    #: False for users who are readonly at the unit: they see it in the app only.
    by_email: bool


def recipient_unit_id(session: Session, unit_id: int) -> int:
    """Events of a residential area (khu dân cư) go to its commune: areas have no staff."""
    unit = session.get(Unit, unit_id)
    if unit is not None and unit.level.is_residential_area and unit.parent_id is not None:
        return unit.parent_id
    return unit_id


def recipients_at(
    session: Session, unit_id: int, *, exclude_user_id: int | None = None
) -> list[Recipient]:
    """Active users holding a role AT the unit itself (not at its ancestors: a province's staff
    would otherwise hear about every commune's every case)."""
    rows = session.execute(
        select(User.id, RoleAssignment.role)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.unit_id == unit_id,
            User.is_active.is_(True),
            RoleAssignment.role.in_(RECIPIENT_ROLES),
        )
    ).all()
    by_user: dict[int, bool] = {}
    for user_id, role in rows:
        by_user[user_id] = by_user.get(user_id, False) or role in EMAIL_ROLES
    by_user.pop(exclude_user_id, None)
    return [Recipient(uid, email) for uid, email in sorted(by_user.items())]


def user_recipient(session: Session, user_id: int) -> Recipient | None:
    """One active user as a recipient (email unless they are only readonly wherever they are)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    roles = set(
        session.scalars(select(RoleAssignment.role).where(RoleAssignment.user_id == user_id))
    )
    return Recipient(user_id, bool(roles & EMAIL_ROLES))


def email_address_for(session: Session, user: User) -> str | None:
    """Where the user's emails go: the preference's address, else the account's."""
    preference = session.get(NotificationPreference, user.id)
    address = (preference.email_address if preference else None) or user.email
    return (address or "").strip() or None
