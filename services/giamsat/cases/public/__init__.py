"""Public online intake: the no-login form per unit, receipt codes, rate limits, QR labels."""


def page_blueprints():
    from giamsat.cases.public.views import bp

    return [bp]
