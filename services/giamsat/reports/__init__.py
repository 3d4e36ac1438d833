"""Periodic reports: calendar, indicators, figures rolled up the tree, submission and approval."""


def api_blueprints():
    from giamsat.reports.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.reports.views import bp

    return [bp]


def nav_links():
    from flask_babel import lazy_gettext as _l

    return [("reports_pages.calendar", _l("Báo cáo"))]


def provision_tenant(session, progress):
    """Seed the indicator catalogue and the periods of this year and the next (idempotent)."""
    from giamsat.reports.provisioning import provision_tenant as seed

    return seed(session, progress)


def periodic_jobs():
    from giamsat.reports.jobs import PERIODIC

    return list(PERIODIC)


def on_event(session, name, data):
    """Records of other domains changed: recompute the figures they count in."""
    from giamsat.reports.reactions import on_event as react

    react(session, name, data)
