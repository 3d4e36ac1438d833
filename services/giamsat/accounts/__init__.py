"""Users of a tenant, their roles scoped to a unit, web sessions and API tokens."""


def api_blueprints():
    return []


def page_blueprints():
    return []
