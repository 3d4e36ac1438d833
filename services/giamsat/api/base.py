"""What every tenant API resource shares: the Blueprint subclass, auth and error mapping."""
from __future__ import annotations

from flask import current_app, g, request
from flask_smorest import Blueprint, abort

from giamsat.accounts.operations import user_for_token
from giamsat.accounts.principal import Principal

API_PREFIX = "/api/v1"
TENANT_PREFIX = API_PREFIX + "/t/<tenant>"


class TenantBlueprint(Blueprint):
    """A resource group inside one tenant, mounted under `/api/v1/t/<tenant>/`.

    Requests carry a personal API token (`Authorization: Bearer gs_…`); the principal is
    loaded before the view runs. Every list is paginated with a maximum page size.
    """

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    def __init__(self, name: str, import_name: str, url_prefix: str, **kwargs):
        super().__init__(name, import_name, url_prefix=TENANT_PREFIX + url_prefix, **kwargs)
        self.before_request(_authenticate)


def _authenticate():
    scope = g.get("tenant")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = None
    if scope is not None and scheme.lower() == "bearer":
        user = user_for_token(scope.session, token.strip())
    if user is None:
        abort(401, message="Thiếu hoặc sai mã truy cập (Authorization: Bearer …).")
    g.principal = Principal.of(user)


def current_principal() -> Principal:
    return g.principal


def max_page_size() -> int:
    return current_app.config["GIAMSAT"].api_max_page_size
