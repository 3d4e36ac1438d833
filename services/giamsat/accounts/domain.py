"""The accounts domain as the app, worker and commands see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts import api, credential_views, first_signin, rules, signin_views, views
from giamsat.accounts.people import api as people_api
from giamsat.accounts.people import import_views  # noqa: F401 — adds the import pages to the bp
from giamsat.accounts.people import views as people_views
from giamsat.core.domain import Domain


def _nav_links():
    """Everyone signed in: their own account; those who manage people: "Người dùng"; tenant
    admins: the sign-in log. Everybody else never sees those links."""
    from flask import g

    from giamsat.accounts.people.scope import is_people_manager
    from giamsat.http.session import current_principal

    if g.get("user") is None:
        return []  # the layout shows links to the signed-in only
    principal = current_principal()
    links = [("signin_pages.my_sessions", _l("Tài khoản của tôi"))]
    if is_people_manager(principal):
        links.append(("people_pages.index", _l("Người dùng")))
    if principal.is_tenant_admin:
        links.append(("credentials_pages.sign_ins", _l("Nhật ký đăng nhập")))
    return links


DOMAIN = Domain(
    name="accounts",
    depends_on=("units",),
    api_blueprints=(*api.BLUEPRINTS, *people_api.BLUEPRINTS),
    page_blueprints=(
        views.bp,
        people_views.bp,
        first_signin.bp,
        signin_views.bp,
        credential_views.bp,
    ),
    nav_links=_nav_links,
    rules=rules.RULES,
)
