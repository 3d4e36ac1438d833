"""The supervision register: people under supervision, assignments, plans and activities,
recommendations with their follow-up, and dialogues (QĐ 124-QĐ/TW)."""


def api_blueprints():
    from giamsat.supervision.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.supervision.views import bp

    return [bp]


def nav_links():
    from flask_babel import lazy_gettext as _l

    return [("supervision_pages.people", _l("Giám sát"))]
