"""The platform operator's pages: tenants with status, users and last activity; suspend and
resume; a suspended tenant answers "tạm ngừng"; nobody but an operator reaches the pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from giamsat.core.audit import AuditEntry
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.operators import PlatformOperator, create_operator
from giamsat.tenancy.provision import ensure_tenant
from tests.plugins.pages import text_of
from tests.plugins.tenancy import drop_tenant

OPERATOR_PASSWORD = "operator-password-long"


@pytest.fixture()
def operator(db):
    shared = db.session()
    op = create_operator(shared, username="ops", full_name="Vận Hành", password=OPERATOR_PASSWORD)
    shared.commit()
    return op


def _login_operator(pages, password=OPERATOR_PASSWORD, username="ops"):
    return pages.post("/platform/login", {"username": username, "password": password})


def test_the_operator_sees_every_tenant_with_users_and_activity(pages, operator, world):
    pages.login("alpha", "admin")  # a last login and an audit entry in alpha
    assert _login_operator(pages).status_code == 302
    response = pages.get("/platform/")
    assert response.status_code == 200
    text = text_of(response)
    users = len(world.alpha.users)
    assert "Alpha" in text and "Beta" in text and "Đang hoạt động" in text
    assert f"{users} đang dùng / {users}" in text
    row = text.split("Alpha")[1].split("Beta")[0]
    assert "chưa có" not in row  # alpha's admin just logged in
    assert "chưa có" in text.split("Beta", 1)[1]  # nobody logged in to beta


def test_suspend_and_resume_a_tenant(pages, operator, db, api_token, tenant_session):
    token = api_token("beta", "admin")
    assert _login_operator(pages).status_code == 302
    response = pages.post("/platform/tenants/beta/suspend")
    assert response.status_code == 302
    with db.session() as shared:
        assert shared.scalar(select(Tenant.status).where(Tenant.slug == "beta")) == (
            TenantStatus.suspended
        )
    beta_row = text_of(pages.get("/platform/")).split("Beta", 1)[1]
    assert "Đã tạm ngừng" in beta_row and "Cho hoạt động lại" in beta_row

    page = pages.get("/t/beta/login")
    assert page.status_code == 503
    assert "Hệ thống của Beta đang tạm ngừng" in text_of(page)
    api = pages.client.get("/api/v1/t/beta/units", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and "tạm ngừng" in api.get_json()["message"]
    assert pages.get("/t/alpha/login").status_code == 200  # the others go on

    entry = tenant_session("beta").scalar(
        select(AuditEntry).where(AuditEntry.object_type == "tenant").order_by(AuditEntry.id.desc())
    )
    assert (entry.action, entry.actor_label) == ("suspend", "operator:ops")

    assert pages.post("/platform/tenants/beta/resume").status_code == 302
    assert pages.get("/t/beta/login").status_code == 200
    assert "Đang hoạt động" in text_of(pages.get("/platform/")).split("Beta", 1)[1]


@pytest.mark.parametrize("who", ["admin", "x-admin", "x-staff", "x-reader"])
def test_no_tenant_user_reaches_the_operator_pages(pages, operator, db, who):
    pages.login("alpha", who)
    assert pages.get("/platform/").status_code == 404
    assert pages.post("/platform/tenants/beta/suspend").status_code == 404
    # A tenant's credentials are no operator's.
    assert _login_operator(pages, password="x" * 20, username=f"alpha-{who}").status_code == 422
    with db.session() as shared:
        assert shared.scalar(select(Tenant.status).where(Tenant.slug == "beta")) == (
            TenantStatus.active
        )


def test_anonymous_visitors_and_wrong_passwords_get_nothing(pages, operator):
    assert pages.get("/platform/").status_code == 404
    assert pages.post("/platform/tenants/alpha/suspend").status_code == 404
    assert _login_operator(pages, password="wrong-password-here").status_code == 422
    assert pages.get("/platform/").status_code == 404
    # Signing out ends it.
    assert _login_operator(pages).status_code == 302
    assert pages.get("/platform/").status_code == 200
    pages.post("/platform/logout")
    assert pages.get("/platform/").status_code == 404


def test_a_manifest_reapply_does_not_resume_a_suspended_tenant(engine, migrations_dir):
    slug = "paused"
    try:
        tenant, _ = ensure_tenant(engine, migrations_dir, slug=slug, name="Tạm", province_code=84)
        with engine.begin() as conn:
            conn.execute(
                Tenant.__table__.update()
                .where(Tenant.__table__.c.slug == slug)
                .values(status=TenantStatus.suspended)
            )
        tenant, changed = ensure_tenant(
            engine, migrations_dir, slug=slug, name="Tạm", province_code=84
        )
        assert tenant.status == TenantStatus.suspended and not changed
    finally:
        drop_tenant(engine, slug)


def test_users_create_operator_from_the_command_line(settings, db):
    env = {"GIAMSAT_DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    giamsat = str(Path(sys.executable).with_name("giamsat"))
    argv = [
        giamsat,
        "users",
        "create",
        "--operator",
        "--username",
        "Cli-Ops",
        "--full-name",
        "CLI",
        "--password-stdin",
    ]
    try:
        short = subprocess.run(
            argv, env=env, input="short\n", capture_output=True, text=True, timeout=120
        )
        assert short.returncode == 1 and "at least 12 characters" in short.stderr
        done = subprocess.run(
            argv,
            env=env,
            input="a-long-operator-pass\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "created platform operator 'cli-ops'" in done.stdout
        with db.session() as shared:
            assert (
                shared.scalar(
                    select(PlatformOperator.full_name).where(PlatformOperator.username == "cli-ops")
                )
                == "CLI"
            )
    finally:
        with engine_of(settings).begin() as conn:
            conn.execute(
                PlatformOperator.__table__.delete().where(
                    PlatformOperator.__table__.c.username == "cli-ops"
                )
            )


def engine_of(settings):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(settings.database_url, poolclass=NullPool)
