"""The unit tree (province, district, commune, residential area), its levels and organizations."""


def api_blueprints():
    return []


def page_blueprints():
    return []
