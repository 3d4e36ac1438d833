"""Tenant names, the resolver (404 before any tenant data), the nestable context, audit log."""

from __future__ import annotations

import psycopg
import pytest
from flask import Blueprint, g
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from giamsat.core.audit import AuditEntry, record
from giamsat.core.db import Database
from giamsat.identity import SystemActor
from giamsat.tenancy.context import NoTenant, current_tenant, tenant_context
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.names import InvalidName, bucket_for, schema_for, validate_schema_name
from giamsat.tenancy.registry import tenant_for_request
from giamsat.units.models import Unit
from tests.plugins.api import ApiCaller


@pytest.mark.parametrize("slug", ["ninh-binh", "ha-noi", "a1", "tp-ho-chi-minh"])
def test_valid_slugs_map_to_schema_and_bucket(slug):
    assert schema_for(slug) == "t_" + slug.replace("-", "_")
    assert bucket_for(slug) == "giamsat-" + slug


@pytest.mark.parametrize(
    "name",
    [
        "public",
        "shared",
        "t_",
        "t_A",
        "t_x;drop",
        't_x"',
        "t_x-y",
        "T_x",
        "t__x",
        "t_" + "a" * 62,
        "",
        None,
    ],
)
def test_schema_names_are_refused_unless_strict(name):
    with pytest.raises(InvalidName):
        validate_schema_name(name)


@pytest.mark.parametrize("slug", ["Ninh-Binh", "ninh_binh", "-x", "x-", "../x", "ninh binh", ""])
def test_bad_slugs_are_refused(slug):
    with pytest.raises(InvalidName):
        schema_for(slug)


@pytest.fixture()
def probe_app(app):
    """A tenant route that reports what it sees, to test the resolver alone."""
    bp = Blueprint("probe", __name__, url_prefix="/t/<tenant>/probe")

    @bp.route("/")
    def probe():
        scope = current_tenant()
        count = scope.session.scalar(select(func.count()).select_from(Unit))
        return {
            "slug": scope.slug,
            "schema": scope.schema_name,
            "units": count,
            "same": scope is g.tenant,
        }

    app.register_blueprint(bp)
    return app


def test_resolver_binds_the_tenant_of_the_url(probe_app, world):
    client = probe_app.test_client()
    for tw in (world.alpha, world.beta):
        body = client.get(f"/t/{tw.slug}/probe/").get_json()
        assert body == {"slug": tw.slug, "schema": tw.schema, "units": 5, "same": True}


def test_unknown_or_malformed_tenant_is_404(probe_app):
    client = probe_app.test_client()
    assert client.get("/t/gamma/probe/").status_code == 404
    assert client.get("/t/Alpha/probe/").status_code == 404
    assert client.get("/t/al%20pha/probe/").status_code == 404


def test_suspended_tenant_is_503_before_its_schema_is_touched(probe_app, db):
    shared = db.session()
    # A suspended tenant whose schema does not even exist: touching it would be a 500.
    shared.add(
        Tenant(
            slug="ghost",
            name="Ghost",
            province_code=99,
            schema_name="t_ghost",
            bucket_name="giamsat-ghost",
            status=TenantStatus.suspended,
        )
    )
    shared.commit()
    assert probe_app.test_client().get("/t/ghost/probe/").status_code == 503
    alpha = shared.scalar(select(Tenant).where(Tenant.slug == "alpha"))
    alpha.status = TenantStatus.suspended
    shared.commit()
    assert probe_app.test_client().get("/t/alpha/probe/").status_code == 503


def test_tenant_context_nests_and_restores(db, world):
    shared = db.session()
    alpha = shared.scalar(select(Tenant).where(Tenant.slug == "alpha"))
    beta = shared.scalar(select(Tenant).where(Tenant.slug == "beta"))
    with pytest.raises(NoTenant):
        current_tenant()
    with tenant_context(db, alpha) as a:
        a.session.get(Unit, world.alpha.area_x).name = "Thôn của Alpha"
        a.session.flush()
        with tenant_context(db, beta) as b:
            assert current_tenant() is b
            names = b.session.scalars(select(Unit.name)).all()
            assert "Thôn của Alpha" not in names
        assert current_tenant() is a
        assert a.session.get(Unit, world.alpha.area_x).name == "Thôn của Alpha"
    with pytest.raises(NoTenant):
        current_tenant()


def test_audit_log_is_append_only_in_the_database(tenant_session):
    s = tenant_session("alpha")
    entry = record(
        s,
        SystemActor(),
        action="create",
        object_type="unit",
        object_id=1,
        changes={"name": [None, "x"]},
    )
    s.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        with s.begin_nested():
            s.execute(update(AuditEntry).values(action="tampered"))
    with pytest.raises(DBAPIError, match="append-only"):
        with s.begin_nested():
            s.execute(delete(AuditEntry))
    assert s.get(AuditEntry, entry.id).action == "create"


def test_a_registry_change_is_seen_by_the_next_api_request(client, db, api_token):
    # Read on every request, never cached: suspending and resuming take effect at once.
    caller = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    shared = db.session()
    alpha = shared.scalar(select(Tenant).where(Tenant.slug == "alpha"))
    assert caller.get("cases").status_code == 200
    alpha.status = TenantStatus.suspended
    shared.commit()
    response = caller.get("cases")
    assert response.status_code == 503 and "tạm ngừng" in response.get_json()["message"]
    alpha.status = TenantStatus.active
    shared.commit()
    assert caller.get("cases").status_code == 200


def test_the_registry_read_opens_no_transaction(engine):
    # One autocommit SELECT per request: no BEGIN before it, no ROLLBACK after it.
    database = Database(engine)
    with database.shared_reads() as conn:
        row = tenant_for_request(conn, "alpha")
        status = conn.connection.dbapi_connection.info.transaction_status
    assert row is not None and row.slug == "alpha" and row.status == TenantStatus.active
    assert status == psycopg.pq.TransactionStatus.IDLE
    with database.shared_reads() as conn:
        assert tenant_for_request(conn, "gamma") is None
        assert tenant_for_request(conn, "Not A Slug") is None
