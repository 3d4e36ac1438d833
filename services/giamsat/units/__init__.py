"""The unit tree (province, district, commune, residential area), its levels and organizations."""


def api_blueprints():
    from giamsat.units.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.units.views import bp

    return [bp]
