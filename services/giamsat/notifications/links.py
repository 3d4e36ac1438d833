"""Where a notification points: built from its endpoint and values, tenant added."""

from __future__ import annotations

from flask import current_app, has_app_context, has_request_context, url_for
from werkzeug.routing import BuildError

from giamsat.notifications.models import Notification


def link_path(endpoint: str | None, values: dict | None, tenant_slug: str) -> str | None:
    """The page path ("/t/alpha/cases/12"), or None when there is no app to build it with (a
    bare job process) or the page does not exist in this deployment."""
    if not endpoint or not has_app_context():
        return None
    arguments = dict(values or {}, tenant=tenant_slug)
    try:
        if has_request_context():
            return url_for(endpoint, **arguments)
        # Outside a request (a job): a bare adapter, no SERVER_NAME needed for a path.
        return current_app.url_map.bind("localhost").build(endpoint, arguments)
    except BuildError:
        return None


def notification_path(notification: Notification, tenant_slug: str) -> str | None:
    return link_path(notification.link_endpoint, notification.link_values, tenant_slug)


def absolute(base_url: str, path: str | None) -> str | None:
    # No public address configured: no link at all (a relative one means nothing in a mail).
    return f"{base_url}{path}" if path and base_url else None
