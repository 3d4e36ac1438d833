"""Reading what the notification tests assert on, and the addresses world users get."""

from __future__ import annotations

from sqlalchemy import select

from giamsat.notifications.models import EmailDelivery, Notification


def notifications_of(tenant_session, world, slug: str, who: str) -> list[Notification]:
    user_id = getattr(world, slug).users[who]
    with tenant_session(slug) as s:
        return list(
            s.scalars(
                select(Notification)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )


def all_notifications(tenant_session, slug: str) -> list[Notification]:
    with tenant_session(slug) as s:
        return list(s.scalars(select(Notification).order_by(Notification.id)))


def deliveries(tenant_session, slug: str) -> list[EmailDelivery]:
    with tenant_session(slug) as s:
        return list(s.scalars(select(EmailDelivery).order_by(EmailDelivery.id)))


def by_user(notifications, world, slug: str) -> dict[str, list[str]]:
    """{who: [kind, …]} for readable assertions."""
    names = {uid: who for who, uid in getattr(world, slug).users.items()}
    found: dict[str, list[str]] = {}
    for n in notifications:
        found.setdefault(names.get(n.user_id, str(n.user_id)), []).append(n.kind)
    return found


def address_of(slug: str, who: str) -> str:
    """The address the `emails` fixture gives a world user."""
    return f"{slug}-{who}@example.vn"
