"""Users of a tenant, their roles scoped to a unit, web sessions and API tokens."""


def api_blueprints():
    from giamsat.accounts.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.accounts.views import bp

    return [bp]
