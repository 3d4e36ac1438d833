"""Cases: people's information (phản ánh, kiến nghị, tố cáo, phát giác), its handling and the
protection of the people who report it."""


def api_blueprints():
    from giamsat.cases.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.cases.public.views import bp as public
    from giamsat.cases.views import bp as staff

    return [staff, public]


def provision_tenant(session, progress):
    """Seed the classification catalogue of a tenant (idempotent)."""
    from giamsat.cases.catalogue import provision_tenant as seed

    return seed(session, progress)


def nav_links():
    from flask_babel import lazy_gettext as _l

    return [("cases_pages.queue", _l("Hồ sơ tiếp nhận"))]
