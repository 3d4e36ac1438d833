"""The one place a request's tenant is resolved: the `<tenant>` URL segment.

`/t/<tenant>/…` (pages) and `/api/v1/t/<tenant>/…` (API) both declare it. An unknown tenant
answers 404, a suspended one 503 "tạm ngừng" (TenantSuspended, drawn by the web shell), before
any of its data is touched.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g
from werkzeug.exceptions import ServiceUnavailable

from giamsat.core.db import Database
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import TenantStatus
from giamsat.tenancy.registry import tenant_for_request

TENANT_ARG = "tenant"


class TenantSuspended(ServiceUnavailable):
    """The tenant exists but a platform operator suspended it."""

    def __init__(self, tenant_name: str):
        super().__init__()
        self.tenant_name = tenant_name
        # The API's one error shape reads its message from here (pages draw their own).
        self.data = {
            "message": f"Hệ thống của {tenant_name} đang tạm ngừng theo quyết định của đơn vị "
            "vận hành; dữ liệu vẫn được giữ nguyên."
        }


def init_app(app: Flask, db: Database) -> None:
    @app.url_value_preprocessor
    def _pull_tenant(endpoint, values):
        if values and TENANT_ARG in values:
            g.tenant_slug = values.pop(TENANT_ARG)

    @app.url_defaults
    def _add_tenant(endpoint, values):
        if TENANT_ARG in values or "tenant" not in g:
            return
        if app.url_map.is_endpoint_expecting(endpoint, TENANT_ARG):
            values[TENANT_ARG] = g.tenant.slug

    @app.before_request
    def _enter_tenant():
        # Also called early by `enter_request_tenant`; the slug is taken once.
        slug = g.pop("tenant_slug", None)
        if slug is None:
            return None
        # One checkout for the registry read and the tenant session after it (issue 17): the
        # read opens the request's transaction, the session takes it over (and enters the
        # tenant's role first thing). Still read on every request: nothing cached.
        connection = db.checkout()
        try:
            if connection is None:
                with db.shared_reads() as shared:
                    tenant = tenant_for_request(shared, slug)
            else:
                tenant = tenant_for_request(connection, slug)
            if tenant is None:
                abort(404)
            if tenant.status == TenantStatus.suspended:
                raise TenantSuspended(tenant.name)
            manager = tenant_context(db, tenant, connection)
            g.tenant = manager.__enter__()
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        g._tenant_manager, g._tenant_connection = manager, connection
        return None

    app.extensions[_ENTER] = _enter_tenant

    @app.after_request
    def _commit(response):
        # One commit point per request: success commits, anything else rolls back.
        scope = g.get("tenant")
        if scope is not None:
            if response.status_code < 400:
                scope.session.commit()
            else:
                scope.session.rollback()
        return response

    @app.teardown_request
    def _leave_tenant(error):
        manager = g.pop("_tenant_manager", None)
        if manager is not None:
            g.pop("tenant", None)
            manager.__exit__(None, None, None)
        connection = g.pop("_tenant_connection", None)
        if connection is not None:
            connection.close()  # back to the pool, after the session let go of it


_ENTER = "giamsat.enter_tenant"


def enter_request_tenant() -> None:
    """Resolve the request's tenant now rather than in the before_request hook: for upload
    endpoints, whose files go to the tenant's bucket while the form parser (run by the input
    check, before that hook) is still reading them. Call it from a URL value preprocessor;
    the same checks apply (unknown → 404, suspended → 503) and the hook then does nothing."""
    current_app.extensions[_ENTER]()
