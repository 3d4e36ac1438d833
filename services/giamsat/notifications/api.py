"""REST resources of the caller's own notifications and email preference."""

from __future__ import annotations

from flask import g
from flask.views import MethodView

from giamsat.http.api import (
    TenantBlueprint,
    current_principal,
    keyset_page,
    tenant_session,
)
from giamsat.notifications import operations, queries
from giamsat.notifications.email.texts import headline
from giamsat.notifications.links import notification_path
from giamsat.notifications.schemas import (
    MarkedSchema,
    NotificationQueryArgsSchema,
    NotificationSchema,
    PreferenceSchema,
    UnreadCountSchema,
)

blp = TenantBlueprint(
    "notifications",
    __name__,
    "/notifications",
    description="Thông báo của chính người dùng: danh sách, số chưa đọc, đánh dấu đã đọc, "
    "cách nhận thư.",
)

BLUEPRINTS = (blp,)


def _shown(notification):
    """The row with its sentence (request language) and page path, for the schema."""
    from flask_babel import gettext

    notification.text = headline(
        notification.kind, notification.title, notification.params, gettext
    )
    notification.link = notification_path(notification, g.tenant.slug)
    return notification


@blp.route("")
class Notifications(MethodView):
    @blp.arguments(NotificationQueryArgsSchema, location="query")
    @blp.response(200, NotificationSchema(many=True))
    @blp.paginate(keyset_page(lambda n: (n.created_at, n.id), shown=_shown))
    def get(self, args):
        """Thông báo của tôi, mới nhất trước"""
        return queries.notifications_query(
            current_principal().user_id, unread_only=args["unread"], after=args.get("after")
        )


@blp.route("/unread-count")
class UnreadCount(MethodView):
    @blp.response(200, UnreadCountSchema)
    def get(self):
        """Số thông báo chưa đọc"""
        return {"unread": queries.unread_count(tenant_session(), current_principal().user_id)}


@blp.route("/<int:notification_id>/read")
class MarkRead(MethodView):
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Đánh dấu một thông báo đã đọc"""
        return _shown(
            operations.mark_read(tenant_session(), current_principal().user_id, notification_id)
        )


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @blp.response(200, MarkedSchema)
    def post(self):
        """Đánh dấu mọi thông báo đã đọc"""
        return {"marked": operations.mark_all_read(tenant_session(), current_principal().user_id)}


@blp.route("/preferences")
class Preferences(MethodView):
    @blp.response(200, PreferenceSchema)
    def get(self):
        """Cách nhận thư thông báo của tôi"""
        return queries.get_preference(tenant_session(), current_principal().user_id)

    @blp.arguments(PreferenceSchema)
    @blp.response(200, PreferenceSchema)
    def put(self, data):
        """Đổi cách nhận thư thông báo"""
        return operations.set_preferences(
            tenant_session(),
            current_principal(),
            email_mode=data["email_mode"],
            email_address=data.get("email_address"),
        )
