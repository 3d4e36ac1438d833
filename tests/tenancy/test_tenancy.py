"""Tenant names, the resolver (404 before any tenant data), the nestable context, audit log."""

from __future__ import annotations

import pytest
from flask import Blueprint, g
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from giamsat.core.audit import AuditEntry, record
from giamsat.identity import SystemActor
from giamsat.tenancy.context import NoTenant, current_tenant, tenant_context
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.names import InvalidName, bucket_for, schema_for, validate_schema_name
from giamsat.units.models import Unit


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
