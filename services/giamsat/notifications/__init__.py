"""Notifications (thông báo): in-app and email, deadline reminders, daily digests."""


def api_blueprints():
    from giamsat.notifications.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.notifications.views import bp

    return [bp]


def nav_links():
    """"Thông báo (3)": the label carries the user's unread count, counted only when shown."""
    from giamsat.notifications.views import nav_label

    return [("notifications_pages.index", nav_label())]


def periodic_jobs():
    from giamsat.notifications.jobs import PERIODIC

    return list(PERIODIC)


def on_event(session, name, data):
    """Another domain's change that someone should hear about: record a notify job (outbox)."""
    from giamsat.notifications.triggers import on_event as react

    react(session, name, data)
