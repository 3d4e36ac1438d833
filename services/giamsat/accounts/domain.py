"""The accounts domain as the app, worker and commands see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts import api, first_signin, views
from giamsat.accounts.people import api as people_api
from giamsat.accounts.people import import_views  # noqa: F401 — adds the import pages to the bp
from giamsat.accounts.people import views as people_views
from giamsat.core.domain import Domain


def _nav_links():
    """ "Người dùng" for those who manage people; everybody else never sees the link."""
    from giamsat.accounts.people.scope import is_people_manager
    from giamsat.http.session import current_user
    from giamsat.identity import Principal

    user = current_user()
    if user is None or not is_people_manager(Principal.of(user)):
        return []
    return [("people_pages.index", _l("Người dùng"))]


DOMAIN = Domain(
    name="accounts",
    depends_on=("units",),
    api_blueprints=(*api.BLUEPRINTS, *people_api.BLUEPRINTS),
    page_blueprints=(views.bp, people_views.bp, first_signin.bp),
    nav_links=_nav_links,
)
