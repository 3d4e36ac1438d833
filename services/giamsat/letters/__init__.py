"""Suggestion boxes (hòm thư góp ý) at residential areas: register, openings with minutes, and
the scanned letters found in them, each one a case."""


def api_blueprints():
    from giamsat.letters.api import BLUEPRINTS

    return list(BLUEPRINTS)


def page_blueprints():
    from giamsat.letters.views import bp

    return [bp]


def nav_links():
    from flask_babel import lazy_gettext as _l

    return [("letters_pages.register", _l("Hòm thư góp ý"))]


def case_text_matches(pattern: str):
    """Cases search also looks in the OCR text of their letters' pages."""
    from giamsat.letters.queries import case_page_text_matches

    return case_page_text_matches(pattern)


def periodic_jobs():
    import datetime as dt

    from giamsat.jobs.schedules import PeriodicJob

    return [PeriodicJob("letters.orphan_cleanup", "giamsat.letters.jobs.clean_orphan_uploads",
                        every=dt.timedelta(hours=1))]
