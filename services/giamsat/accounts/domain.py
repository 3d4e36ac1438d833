"""The accounts domain as the app, worker and commands see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts import api, credential_views, rules, signin_views, views
from giamsat.core.domain import Domain


def _nav_links():
    from flask import g

    from giamsat.http.session import current_principal

    if g.get("user") is None:
        return []  # the layout shows links to the signed-in only
    links = [("signin_pages.my_sessions", _l("Tài khoản của tôi"))]
    if current_principal().is_tenant_admin:
        links.append(("credentials_pages.sign_ins", _l("Nhật ký đăng nhập")))
    return links


DOMAIN = Domain(
    name="accounts",
    depends_on=("units",),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp, signin_views.bp, credential_views.bp),
    nav_links=_nav_links,
    rules=rules.RULES,
)
